"""Typed SQLAlchemy models of everything a protocol office keeps."""
