"""The gifts policy: threshold with the office's conversion rates, flags, the register."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from protocol_app.briefing.gift_register import write_gift_register
from protocol_app.config import Settings
from protocol_app.errors import ValidationError
from protocol_app.rules.gift_policy import GiftPolicy
from protocol_app.services.gifts import csv_safe, register_csv
from tests.support.helpers import run_cli


@pytest.fixture
def policy_set() -> Settings:
    settings = Settings(gift_threshold=400, gift_threshold_currency="usd",
                        currency_rates={"EUR": 1.10, "JPY": 0.0067})
    settings.save()
    return settings


def _gifts(world):
    s = world.services
    add = s.gifts.create
    return {
        "vase": add(world.visit_id, direction="received", description="Porcelain vase",
                    value=380, currency="EUR", date=date(2027, 3, 13),
                    giver_person_id=world.guest_id, recipient_person_id=world.host_id),
        "tea": add(world.visit_id, direction="received", description="Tea set",
                   value=50000, currency="JPY", date=date(2027, 3, 13)),
        "book": add(world.visit_id, direction="given", description="Book of the campus",
                    value=900, currency="USD", date=date(2027, 3, 14)),
        "formula": add(world.visit_id, direction="received",
                       description='=HYPERLINK("http://evil.example","click")', value=10,
                       currency="USD", date=date(2027, 3, 14)),
        "francs": add(world.visit_id, direction="received", description="Carved mask",
                      value=200000, currency="XAF", date=date(2027, 3, 15)),
        "later": add(world.visit_id, direction="received", description="Pen",
                     value=5000, currency="USD", date=date(2027, 6, 1)),
    }


def test_the_threshold_converts_with_the_offices_rates(world, policy_set):
    gifts = _gifts(world)
    s = world.services
    vase = s.gifts.assess(gifts["vase"])
    assert (vase.converted, vase.must_declare) == (418.0, True)  # 380 EUR × 1.10 > 400 USD
    tea = s.gifts.assess(gifts["tea"])
    assert (tea.converted, tea.must_declare) == (335.0, False)
    assert s.gifts.assess(gifts["book"]).must_declare is False  # given, not received
    mask = s.gifts.assess(gifts["francs"])
    assert mask.must_declare is None and "no conversion rate for XAF" in mask.note
    assert GiftPolicy().assess("received", 10**6, "USD").must_declare is False  # none set


def test_gifts_to_declare_are_check_findings(world, policy_set):
    _gifts(world)
    findings = world.services.travel.check(world.visit_id)
    codes = sorted(f.code for f in findings if f.code.startswith("gift_"))
    assert codes == ["gift_must_be_declared", "gift_must_be_declared", "gift_value_unknown"]
    vase = next(f for f in findings if "vase" in f.message)
    assert "418.00 USD" in vase.message and "Tanaka Haruto" in vase.message
    assert world.guest_id in vase.person_ids


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_are_neutralized(cell):
    assert csv_safe(cell) == "'" + cell
    assert csv_safe("Vase") == "Vase"


def test_the_register_csv_is_safe_and_reads_back(world, policy_set, tmp_path):
    _gifts(world)
    out = tmp_path / "register.csv"
    register = write_gift_register(world.services.gifts, date(2027, 3, 1), date(2027, 3, 31),
                                   out)
    assert len(register.rows) == 5  # the June gift is outside the period
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [r["description"] for r in rows][2] == "Book of the campus"
    formula = next(r for r in rows if "HYPERLINK" in r["description"])
    assert formula["description"].startswith("'=HYPERLINK")
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    vase = rows[0]
    assert (vase["value_in_threshold_currency"], vase["must_declare"], vase["from"]) == (
        "418.00", "yes", "Tanaka Haruto")
    assert next(r for r in rows if r["currency"] == "XAF")["must_declare"] == "unknown"
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_person_named_like_a_formula_is_neutralized_too(world, policy_set):
    s = world.services
    evil = s.people.create(family_name="-2+3", given_name="@cmd")
    s.gifts.create(None, direction="received", description="Card", value=1, currency="USD",
                   date=date(2027, 3, 2), giver_person_id=evil.id)
    text = register_csv(s.gifts.register(date(2027, 3, 1), date(2027, 3, 31))).decode()
    assert "'@cmd -2+3" in text and ",@" not in text


def test_the_register_pdf_reads_back(world, policy_set, tmp_path):
    _gifts(world)
    out = tmp_path / "register.pdf"
    write_gift_register(world.services.gifts, date(2027, 3, 1), date(2027, 3, 31), out,
                        office_name="Office of Protocol")
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Gift register" in text and "400.00 USD" in text
    assert "Porcelain vase" in text and "DECLARE" in text
    assert "Pen" not in text
    assert "5 gifts; 1 must be declared." in text


def test_a_period_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError, match="to: 2027-01-01 is before 2027-02-01"):
        world.services.gifts.register(date(2027, 2, 1), date(2027, 1, 1))


def test_the_gifts_register_command(world, policy_set, db_path, tmp_path, capsys):
    _gifts(world)
    out = tmp_path / "r.csv"
    code, stdout, err = run_cli(capsys, "--db", str(db_path), "gifts", "register", "--from",
                                "2027-03-01", "--to", "2027-03-31", "--out", str(out))
    assert code == 0, err
    assert stdout.strip() == f"Wrote {out}: 5 gifts, 1 to declare (threshold 400.00 USD)"
    code, _, err = run_cli(capsys, "--db", str(db_path), "gifts", "register", "--from",
                           "March", "--to", "2027-03-31", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "--from: 'March' is not a date" in err
    assert not (tmp_path / "x.pdf").exists()


def test_settings_of_the_wrong_type_keep_their_defaults(app_home):
    path = Settings.path()
    path.write_text('{"gift_threshold": "lots", "currency_rates": {"EUR": "1.1"}, '
                    '"countries_of_concern": "KP", "gift_threshold_currency": "EUR"}',
                    encoding="utf-8")
    loaded = Settings.load()
    assert (loaded.gift_threshold, loaded.currency_rates, loaded.countries_of_concern,
            loaded.gift_threshold_currency) == (0.0, {}, [], "EUR")
