"""The examples in the rules' docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module", ["names", "precedence", "address", "seating", "conflicts", "seat_style"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"protocol_app.rules.{module}"))
    assert result.failed == 0
