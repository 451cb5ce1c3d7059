"""Tests of the foundation: records, storage, services, visit packages, command line."""
