"""Screening tests make their own lists: CSV files in either layout, written here."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path

import pytest

CSL_COLUMNS = ("_id", "source", "entity_number", "type", "programs", "name", "title",
               "addresses", "federal_register_notice", "start_date", "end_date",
               "standard_order", "license_requirement", "license_policy", "call_sign",
               "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag",
               "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
               "dates_of_birth", "nationalities", "places_of_birth", "source_information_url",
               "ids")
OPENSANCTIONS_COLUMNS = ("id", "schema", "name", "aliases", "birth_date", "countries",
                         "addresses", "identifiers", "sanctions", "phones", "emails",
                         "dataset", "first_seen", "last_seen", "last_change")
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"

WriteList = Callable[..., Path]


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Mapping[str, str]]) -> Path:
    """A CSV file with ``columns`` as its header and ``rows`` (missing cells empty)."""
    columns = tuple(columns)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


@pytest.fixture
def csl_file(tmp_path: Path) -> WriteList:
    """``csl_file(rows, name="csl.csv")``: a Consolidated Screening List CSV."""
    def write(rows: Iterable[Mapping[str, str]], name: str = "csl.csv") -> Path:
        return write_csv(tmp_path / name, CSL_COLUMNS, rows)
    return write


@pytest.fixture
def opensanctions_file(tmp_path: Path) -> WriteList:
    """``opensanctions_file(rows, name="targets.simple.csv")``: an OpenSanctions CSV."""
    def write(rows: Iterable[Mapping[str, str]], name: str = "targets.simple.csv") -> Path:
        return write_csv(tmp_path / name, OPENSANCTIONS_COLUMNS, rows)
    return write


def individual(name: str, alt_names: str = "", **more: str) -> dict[str, str]:
    """A CSL row of an individual on the SDN list."""
    return {"source": SDN, "type": "Individual", "name": name, "alt_names": alt_names,
            "programs": "RUSSIA-EO14024", **more}


def entity(name: str, alt_names: str = "", **more: str) -> dict[str, str]:
    """A CSL row of an entity on the Entity List."""
    return {"source": ENTITY_LIST, "type": "Entity", "name": name, "alt_names": alt_names,
            **more}


@pytest.fixture
def visit_with(services) -> Callable[..., int]:
    """``visit_with(*people)``: a visit whose guests are ``people`` (each a dict of person
    fields); returns the visit's id."""
    def make(*people: Mapping[str, str]) -> int:
        visit = services.visits.create(
            title="Delegation under review", timezone="America/New_York",
            start_date=date(2027, 5, 3), end_date=date(2027, 5, 5), country="RU")
        for fields in people:
            person = services.people.create(**fields)
            services.visits.add_participant(visit.id, person.id, "guest", "member")
        return visit.id
    return make
