"""Reusable panels placed inside pages and editors (findings, forms of address...)."""
