"""The office's gifts policy: a received gift worth more than a threshold must be declared.

The threshold is a value in one currency; a gift in another currency is converted with
the office's own rates (1 unit of that currency = ``rate`` units of the threshold's),
so the register always agrees with the rates the office decided on, not a rate of the
day.  A received gift in a currency without a rate, or without a value, cannot be
judged: it is flagged for a person to look at, never silently passed.

>>> policy = GiftPolicy(500.0, "USD", {"EUR": 1.10})
>>> policy.assess("received", 480.0, "EUR").must_declare
True
>>> policy.assess("received", 400.0, "EUR").converted
440.0
>>> policy.assess("received", 100.0, "XAF").must_declare is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from protocol_app.rules.conflicts import Finding

if TYPE_CHECKING:
    from protocol_app.services.values import GiftRecord

#: The finding of a received gift above the threshold, and of one that cannot be judged.
GIFT_MUST_BE_DECLARED = "gift_must_be_declared"
GIFT_VALUE_UNKNOWN = "gift_value_unknown"


@dataclass(frozen=True, slots=True)
class GiftAssessment:
    """What the policy says of one gift: its value in the threshold's currency (None when
    it cannot be converted) and whether it must be declared (None: cannot tell)."""

    converted: float | None
    must_declare: bool | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class GiftPolicy:
    """Threshold (0: none set), its currency, and the office's conversion rates."""

    threshold: float = 0.0
    currency: str = ""
    rates: Mapping[str, float] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.threshold > 0 and bool(self.currency)

    def convert(self, value: float, currency: str) -> float | None:
        """``value`` in ``currency`` as an amount of the threshold's currency."""
        code = (currency or self.currency).upper()
        if code == self.currency.upper():
            return value
        rate = {k.upper(): v for k, v in self.rates.items()}.get(code)
        return None if rate is None or rate <= 0 else round(value * rate, 2)

    def assess(self, direction: str, value: float | None, currency: str) -> GiftAssessment:
        """Whether a gift must be declared (only received gifts ever must)."""
        if not self.active or direction != "received":
            converted = self.convert(value, currency) if value is not None and self.currency \
                else None
            return GiftAssessment(converted, False)
        if value is None:
            return GiftAssessment(None, None, "no value recorded")
        converted = self.convert(value, currency)
        if converted is None:
            return GiftAssessment(None, None, f"no conversion rate for {currency.upper()} "
                                              f"to {self.currency.upper()}")
        return GiftAssessment(converted, converted > self.threshold)

    def describe(self) -> str:
        """The threshold in words ("500.00 USD")."""
        return f"{self.threshold:,.2f} {self.currency.upper()}" if self.active else "none"


def gift_findings(gifts: Iterable[GiftRecord], policy: GiftPolicy,
                  names: Mapping[int, str]) -> list[Finding]:
    """A warning per received gift that must be declared, and per received gift the
    policy cannot judge (no value, or no rate for its currency)."""
    found = []
    for gift in gifts:
        verdict = policy.assess(gift.direction, gift.value, gift.currency)
        giver = names.get(gift.giver_person_id or 0, "")
        who = f" from {giver}" if giver else ""
        people = tuple(p for p in (gift.giver_person_id, gift.recipient_person_id) if p)
        if verdict.must_declare:
            found.append(Finding(
                "warning", GIFT_MUST_BE_DECLARED,
                f"Gift “{gift.description[:60]}”{who} is worth {verdict.converted:,.2f} "
                f"{policy.currency.upper()}, above the {policy.describe()} threshold: "
                "it must be declared", person_ids=people))
        elif verdict.must_declare is None and policy.active and gift.direction == "received":
            found.append(Finding(
                "warning", GIFT_VALUE_UNKNOWN,
                f"Gift “{gift.description[:60]}”{who} cannot be measured against the "
                f"{policy.describe()} threshold: {verdict.note}", person_ids=people))
    return found
