"""Randomly damaged packages: the importer answers with a PackageError (or another
ProtocolError) and imports nothing of them, or imports them whole — never a crash."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protocol_app.demo import load_demo
from protocol_app.errors import PackageError, ProtocolError
from protocol_app.packages.reader import read_package
from tests.support.helpers import demo_document, package_bytes, row_counts

DOCS = [demo_document(name) for name in ("ambassador", "reception", "ministerial")]

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

NASTY_TEXT = ["", " ", "\x00", "a\nb", "\ud800", "x" * 5000, "2027-02-30", "2027-03-14T02:30",
              "9999-12-31T23:59", "0001-01-01T00:00", "2027-03-12T10:00+14:00", "Mars/Base",
              "protocol-visit/2", "guest", "head", "p1", "e1", "in-ambassador", "au-president",
              "cancelled", "completed", "🙂", "\u202e", "NaN", "-1", "JP", "US"]

scalars = (st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30)
           | st.just(10 ** 400)
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(NASTY_TEXT)
           | st.text(max_size=12))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=3),
    max_leaves=6)


def _slots(node: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((node, key))
            _slots(value, found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.append((node, i))
            _slots(value, found)
    return found


def _retyped(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return ""


@st.composite
def damaged_documents(draw) -> dict[str, Any]:
    doc = copy.deepcopy(draw(st.sampled_from(DOCS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        slots = _slots(doc, [])
        if not slots:
            break
        parent, key = draw(st.sampled_from(slots))
        op = draw(st.sampled_from(["drop", "replace", "retype", "unknown", "duplicate",
                                   "text", "twin"]))
        if op == "twin" and isinstance(doc.get("people"), list) and doc["people"]:
            # the same person again under a new ref (same e-mail, or same name and org)
            twin = copy.deepcopy(draw(st.sampled_from(doc["people"])))
            if isinstance(twin, dict):
                twin["ref"] = f"{twin.get('ref')}-twin"
                if draw(st.booleans()):
                    twin.pop("email", None)
                doc["people"].append(twin)
                if isinstance(doc.get("delegation"), list):
                    doc["delegation"].append({"person": twin["ref"], "side": "guest",
                                              "role": "member"})
        elif op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(json_values)
        elif op == "retype":
            parent[key] = _retyped(parent[key])
        elif op == "unknown":
            target = parent[key] if isinstance(parent[key], dict) else parent
            if isinstance(target, dict):
                target[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
            else:
                target.insert(key, draw(json_values))
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        else:
            parent[key] = draw(st.sampled_from(NASTY_TEXT))
    return doc


@st.composite
def damaged_bytes(draw) -> bytes:
    doc = draw(st.sampled_from(DOCS)) if draw(st.booleans()) else draw(damaged_documents())
    data = bytearray(json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8",
                                                                             "surrogatepass"))
    op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "none"]))
    if op == "truncate":
        data = data[:draw(st.integers(min_value=0, max_value=len(data)))]
    elif op == "flip":
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            i = draw(st.integers(min_value=0, max_value=len(data) - 1))
            data[i] = draw(st.integers(min_value=0, max_value=255))
    elif op == "insert":
        i = draw(st.integers(min_value=0, max_value=len(data)))
        data[i:i] = draw(st.binary(min_size=1, max_size=16))
    elif op == "delete":
        i = draw(st.integers(min_value=0, max_value=len(data) - 1))
        del data[i:i + draw(st.integers(min_value=1, max_value=64))]
    return bytes(data)


@pytest.fixture
def loaded(services):
    """A database that already holds the demo visits, so damaged packages also exercise
    the update-in-place path."""
    load_demo(services)
    return services


def _import_all_or_nothing(services, db_path, data: bytes) -> None:
    before = row_counts(db_path)
    try:
        services.packages.import_bytes(data, "damaged.json")
        event("imported")
    except ProtocolError as exc:
        event(f"refused: {type(exc).__name__}")
        assert str(exc).strip(), "an error without a message"
        assert "Traceback" not in str(exc)
        assert row_counts(db_path) == before, "a refused package changed the database"


@FUZZ
@given(doc=damaged_documents())
def test_damaged_documents_are_refused_whole_or_imported_whole(loaded, db_path, doc) -> None:
    _import_all_or_nothing(loaded, db_path, package_bytes_lenient(doc))


@settings(FUZZ, max_examples=60)
@given(data=damaged_bytes())
def test_damaged_bytes_are_refused_whole_or_imported_whole(loaded, db_path, data) -> None:
    _import_all_or_nothing(loaded, db_path, data)


@settings(FUZZ, max_examples=100)
@given(doc=damaged_documents())
def test_the_reader_only_ever_raises_package_error(doc) -> None:
    try:
        read_package(package_bytes_lenient(doc), "damaged.json")
    except PackageError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.message


def package_bytes_lenient(doc: dict[str, Any]) -> bytes:
    """The document as JSON bytes, lone surrogates escaped as a sender's tool would."""
    try:
        return package_bytes(doc)
    except UnicodeEncodeError:
        return json.dumps(doc, ensure_ascii=True).encode("ascii")
