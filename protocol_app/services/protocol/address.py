"""Forms of address: what the rules generate for each person, and the office's own
wording of any form (stored per person and form, audited, versioned)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from protocol_app.errors import FieldProblem, NotFoundError, ValidationError
from protocol_app.records import fields as v
from protocol_app.records.models import AddressOverride, Person
from protocol_app.rules import address as address_rules
from protocol_app.rules.address import FORM_NAMES, FormsOfAddress
from protocol_app.rules.precedence import category_for
from protocol_app.services.base import ServiceBase, check_version, write_audit
from protocol_app.services.lookup import forms_in, rule_categories_in
from protocol_app.services.people import person_record
from protocol_app.services.protocol.values import FORM_LABELS, MULTILINE_FORMS, AddressForm


class AddressService(ServiceBase):
    """Forms of address of people, with the office's overrides."""

    def forms_of_address(self, person_id: int) -> FormsOfAddress:
        """A person's forms of address, the office's overrides applied."""
        return self.forms_of_address_many([person_id])[person_id]

    def forms_of_address_many(self, person_ids: Iterable[int]) -> dict[int, FormsOfAddress]:
        """Forms of address of many people at once (for the briefing book and cards);
        an unknown id raises :class:`NotFoundError`."""
        ids = list(dict.fromkeys(person_ids))
        with self.db.read_session() as session:
            people = {p.id: person_record(p) for p in session.scalars(
                select(Person).where(Person.id.in_(ids)))} if ids else {}
            missing = [i for i in ids if i not in people]
            if missing:
                raise NotFoundError(f"There is no person #{missing[0]} (it may have been "
                                    "deleted).")
            return forms_in(session, people.values())

    def address_forms(self, person_id: int) -> tuple[AddressForm, ...]:
        """Each form of address of a person: generated, and the office's override."""
        with self.db.read_session() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError(f"There is no person #{person_id} (it may have been "
                                    "deleted).")
            record = person_record(person)
            category = category_for(record.rank, rule_categories_in(session))
            generated = address_rules.forms_of_address(record, category)
            rows = {r.form: r for r in session.scalars(select(AddressOverride).where(
                AddressOverride.person_id == person_id))}
            return tuple(
                AddressForm(
                    name=name, label=FORM_LABELS[name], generated=getattr(generated, name),
                    override=rows[name].text if name in rows else None,
                    override_version=rows[name].version if name in rows else 0,
                )
                for name in FORM_NAMES
            )

    def set_address_override(self, person_id: int, form: str, text: str | None,
                             expected_version: int | None = None) -> AddressForm:
        """Store the office's wording of one form (``None`` or blank text removes it, so
        the generated form applies again).  ``expected_version``: the override's version
        as read (0 = there was none); a different stored one is refused."""
        if form not in FORM_NAMES:
            raise ValidationError([FieldProblem(
                "form", f"'{form}' is not a form of address ({', '.join(FORM_NAMES)})")],
                subject="form of address")
        if text is not None:
            text = "\n".join(line.strip() for line in text.strip().splitlines())
            msg = v.text_problem(text, max_length=1000, multiline=form in MULTILINE_FORMS)
            if msg:
                raise ValidationError([FieldProblem(form, msg)], subject="form of address")
        with self.db.session() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError(f"There is no person #{person_id} (it may have been "
                                    "deleted).")
            row = session.scalar(select(AddressOverride).where(
                AddressOverride.person_id == person_id, AddressOverride.form == form))
            current = row.version if row is not None else 0
            check_version("form of address", person_id, current, expected_version)
            old_text = row.text if row is not None else None
            name = person_record(person).display_name
            key = f"address.{form}"
            if not text:
                if row is not None:
                    session.delete(row)
                    write_audit(session, self.actor, "update", "person", person_id,
                                old={key: old_text}, new={key: None},
                                summary=f"Restored the generated {FORM_LABELS[form].lower()} "
                                        f"of {name}")
            elif text != old_text:
                if row is None:
                    row = AddressOverride(person_id=person_id, form=form, text=text)
                    session.add(row)
                else:
                    row.text = text
                session.flush()
                write_audit(session, self.actor, "update", "person", person_id,
                            old={key: old_text}, new={key: text},
                            summary=f"Set the {FORM_LABELS[form].lower()} of {name}")
        return next(f for f in self.address_forms(person_id) if f.name == form)


__all__ = ["AddressService", "forms_in"]
