"""Write persons: create, update, and anonymise under the retention rule."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log, diff, snapshot
from nas.common.concurrency import save_versioned
from nas.common.crypto import identifier_marker, person_search_hashes
from nas.common.dates import today
from nas.common.validation import check_not_future, full_clean, refuse
from nas.people.choices import UNKNOWN_NATIONALITY
from nas.people.models import Person, PersonNameToken
from nas.people.nationalities import is_valid_nationality
from nas.people.pic import is_valid_personal_identity_code
from nas.people.selectors import persons_due_for_anonymisation

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


# Direct identifiers: stored encrypted, never written to the audit log (see _audited).
IDENTIFIER_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "phone",
    "email",
    "address",
    "personal_identity_code",
)
NAME_FIELDS = ("given_names", "family_name", "aliases")
SEARCH_FIELDS = ("name_hash", "name_tokens")
# What anonymisation blanks: the identifiers, the search hashes and the municipality (a
# location that no statistic uses). Date of birth, gender, nationalities and languages stay:
# the statistics of past periods are computed from them (docs/operations.md, "Retention").
ANONYMISED_FIELDS = (*IDENTIFIER_FIELDS, *SEARCH_FIELDS, "municipality_of_residence")


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """Return VALUES with each identifier replaced by a marker of whether it is set.

    The audit log is append-only and outlives retention, so it records that an identifier
    was set or changed, and by whom, but never the identifier.
    """
    return {
        name: identifier_marker(value) if name in IDENTIFIER_FIELDS else value
        for name, value in values.items()
    }


def _audited_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return the changed fields as diff() does, identifiers replaced by markers."""
    return {
        name: [identifier_marker(old), identifier_marker(new)]
        if name in IDENTIFIER_FIELDS
        else [old, new]
        for name, (old, new) in diff(before, after).items()
    }


def _refresh_search_hashes(person: Person) -> None:
    person.name_hash, person.name_tokens = person_search_hashes(
        person.given_names, person.family_name, person.aliases
    )


def name_tokens_replace(tokens_by_person: dict[int, str], *, new: bool = False) -> None:
    """Make the PersonNameToken rows of each person the parts of TOKENS_BY_PERSON's value.

    The values are Person.name_tokens strings (space-separated hashes; "" for none). NEW: the
    persons were created just now, so they have no rows yet to delete.
    """
    if not new:
        PersonNameToken.objects.filter(person_id__in=list(tokens_by_person)).delete()
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person_id=person_id, token=token)
        for person_id, tokens in tokens_by_person.items()
        for token in tokens.split()
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
    _refresh_search_hashes(person)
    person.save()
    name_tokens_replace({person.pk: person.name_tokens}, new=True)
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="person.create",
        target=person,
        person_id=person.pk,
        changes=_audited(snapshot(person, list(PERSON_FIELDS))),
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
    update_fields = list(fields)
    if set(fields) & set(NAME_FIELDS):
        _refresh_search_hashes(person)
        update_fields += SEARCH_FIELDS
    save_versioned(person, expected_version=expected_version, update_fields=update_fields)
    if "name_tokens" in update_fields:
        name_tokens_replace({person.pk: person.name_tokens})
    # The statistics count the client periods by copies of these (nas/casework/copies.py).
    from nas.casework.copies import COPIED_PERSON_FIELDS, person_copies_update

    if set(fields) & COPIED_PERSON_FIELDS:
        person_copies_update(person)
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="person.update",
        target=person,
        person_id=person.pk,
        changes=_audited_diff(before, snapshot(person, list(PERSON_FIELDS))),
    )
    return person


@transaction.atomic
def person_anonymise(*, acting_user: Any, person: Person, reason: str) -> Person:
    """Blank a person's identifiers for good, keeping what the statistics are computed from.

    ACTING_USER is a user or, for the retention command, a label such as "retention".
    """
    if person.anonymised_on is not None:
        raise refuse(_("This person has already been anonymised."))
    before = snapshot(person, list(ANONYMISED_FIELDS))
    for name in ANONYMISED_FIELDS:
        setattr(person, name, [] if name == "aliases" else "")
    person.anonymised_on = today()
    save_versioned(
        person, expected_version=None, update_fields=[*ANONYMISED_FIELDS, "anonymised_on"]
    )
    name_tokens_replace({person.pk: ""})
    # Documents (passports, statements) identify by nature: they go with the identifiers.
    from nas.documents.services import documents_erase_for_person

    documents_erase_for_person(acting_user=acting_user, person_id=person.pk, reason=reason)
    changes = _audited_diff(before, snapshot(person, list(ANONYMISED_FIELDS)))
    # The hashes are derived from the names: that they were blanked is all worth recording.
    changes = {name: value for name, value in changes.items() if name not in SEARCH_FIELDS}
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="person.anonymise",
        target=person,
        person_id=person.pk,
        changes={**changes, "anonymised_on": [None, person.anonymised_on]},
        reason=reason,
    )
    return person


def retention_reason(*, years: int, rule: str, since: dt.date) -> str:
    """Return the audited reason of an anonymisation under the retention rule."""
    if rule == "client":
        text = _("Retention: %(years)s years after the last client relationship ended (%(date)s).")
    else:
        text = _("Retention: %(years)s years after a negative decision or a withdrawal (%(date)s).")
    return text % {"years": years, "date": since.isoformat()}


def retention_apply(*, acting_user: Any, on: dt.date, years: int) -> list[str]:
    """Anonymise every person due under the retention rule on ON; return their references.

    Each person is anonymised in a transaction of its own, with its audit event: an
    interrupted run leaves whole persons done or untouched, and a rerun does the rest.
    """
    # The list first: writing to the table while a cursor over it is open is unsafe (SQLite).
    due = [
        (p.pk, getattr(p, "retention_rule"), getattr(p, "retention_from"))  # noqa: B009
        for p in persons_due_for_anonymisation(on=on, years=years).only("pk")
    ]
    done = []
    for pk, rule, since in due:
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=pk)
            # Still due now that the row is locked? (A new referral may have come meanwhile.)
            if not persons_due_for_anonymisation(on=on, years=years).filter(pk=pk).exists():
                continue
            reason = retention_reason(years=years, rule=rule, since=since)
            person_anonymise(acting_user=acting_user, person=person, reason=reason)
        done.append(person.ref)
    return done
