"""Write persons."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log, diff, snapshot
from nas.common.concurrency import save_versioned
from nas.common.dates import today
from nas.common.validation import check_not_future, full_clean, refuse
from nas.people.choices import UNKNOWN_NATIONALITY
from nas.people.models import Person
from nas.people.nationalities import is_valid_nationality
from nas.people.pic import is_valid_personal_identity_code

PERSON_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "birth_year",
    "age_assessment",
    "gender",
    "nationalities",
    "primary_nationality",
    "languages",
    "interpreter_needed",
    "phone",
    "email",
    "address",
    "personal_identity_code",
    "municipality_of_residence",
)


def _new_person_ref() -> str:
    return f"P-{secrets.token_hex(6).upper()}"


def _validate_person(person: Person) -> None:
    """Apply the rules about a person's age and nationality."""
    check_not_future(person.date_of_birth, field="date_of_birth", label=_("The date of birth"))
    if person.date_of_birth and person.birth_year:
        raise refuse(
            _("Give either the date of birth or the year of birth, not both."),
            field="birth_year",
        )
    if person.birth_year is not None and not 1900 <= person.birth_year <= today().year:
        raise refuse(_("The year of birth is not plausible."), field="birth_year")
    if (person.date_of_birth or person.birth_year) and person.age_assessment:
        raise refuse(
            _("An age assessment is recorded only when the date and year of birth are unknown."),
            field="age_assessment",
        )
    if not person.nationalities:
        person.nationalities = [person.primary_nationality or UNKNOWN_NATIONALITY]
    for code in person.nationalities:
        if not is_valid_nationality(code):
            raise refuse(
                _("Unknown nationality code: %(code)s.") % {"code": code},
                field="nationalities",
            )
    if not person.primary_nationality:
        person.primary_nationality = person.nationalities[0]
    if person.primary_nationality not in person.nationalities:
        raise refuse(
            _("The primary nationality must be one of the person's nationalities."),
            field="primary_nationality",
        )
    person.personal_identity_code = person.personal_identity_code.strip().upper()
    pic = person.personal_identity_code
    if pic and not is_valid_personal_identity_code(pic):
        raise refuse(
            _("The personal identity code is not valid."),
            field="personal_identity_code",
        )
    full_clean(person)


@transaction.atomic
def person_create(*, acting_user: Any, ref: str | None = None, **fields: Any) -> Person:
    """Create a person (someone referred, a client or a client's child)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(ref=ref or _new_person_ref(), **fields)
    _validate_person(person)
    person.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="person.create",
        target=person,
        person_id=person.pk,
        changes=snapshot(person, list(PERSON_FIELDS)),
    )
    return person


@transaction.atomic
def person_update(
    *, acting_user: Any, person: Person, expected_version: int | None, **fields: Any
) -> Person:
    """Change a person's details, refusing if someone else changed them meanwhile."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    before = snapshot(person, list(PERSON_FIELDS))
    for name, value in fields.items():
        setattr(person, name, value)
    _validate_person(person)
    save_versioned(person, expected_version=expected_version, update_fields=list(fields))
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="person.update",
        target=person,
        person_id=person.pk,
        changes=diff(before, snapshot(person, list(PERSON_FIELDS))),
    )
    return person
