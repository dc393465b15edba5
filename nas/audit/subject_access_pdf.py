"""A person's data on request as a plain, paginated PDF in the active language.

Made by nas.common.pdf from a template of its own, loading nothing from outside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nas.audit.models import AuditEvent
from nas.common.pdf import html_to_pdf


@dataclass
class Block:
    """A titled list of label-value rows, and the blocks nested under it."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


# Labels of the keys of the package, looked up when the document is made (active language).
_LABELS: dict[str, Callable[[], str]] = {
    "ref": lambda: _("Reference"),
    "given_names": lambda: _("Given names"),
    "family_name": lambda: _("Family name"),
    "aliases": lambda: _("Aliases"),
    "date_of_birth": lambda: _("Date of birth"),
    "birth_year": lambda: _("Year of birth"),
    "age_assessment": lambda: _("Age assessment"),
    "gender": lambda: _("Gender"),
    "nationalities": lambda: _("Nationalities"),
    "primary_nationality": lambda: _("Primary nationality"),
    "personal_identity_code": lambda: _("Personal identity code"),
    "languages": lambda: _("Languages"),
    "municipality_of_residence": lambda: _("Municipality of residence"),
    "interpreter_needed": lambda: _("Needs an interpreter"),
    "phone": lambda: _("Phone"),
    "email": lambda: _("E-mail"),
    "address": lambda: _("Address"),
    "anonymised_on": lambda: _("Anonymised on"),
    "received": lambda: _("Received"),
    "channel": lambda: _("Channel"),
    "referrer_type": lambda: _("Referrer type"),
    "organisation": lambda: _("Organisation"),
    "office": lambda: _("Office"),
    "withdrawn": lambda: _("Withdrawn"),
    "decision": lambda: _("Decision"),
    "date": lambda: _("Date"),
    "outcome": lambda: _("Outcome"),
    "reason": lambda: _("Reason"),
    "client_type": lambda: _("Client type"),
    "consent_given": lambda: _("Consent given"),
    "grounds": lambda: _("Grounds"),
    "trafficking_definition_met": lambda: _("Definition of trafficking met"),
    "need_for_help": lambda: _("Needs help through the assistance system"),
    "decided_by": lambda: _("Decided by"),
    "status": lambda: _("Status"),
    "urgency": lambda: _("Urgency"),
    "consent": lambda: _("Consent"),
    "account": lambda: _("Account of what happened"),
    "safety_concerns": lambda: _("Safety concerns"),
    "withdrawal_reason": lambda: _("Reason for withdrawal"),
    "caseworker": lambda: _("Caseworker"),
    "tasks": lambda: _("Task"),
    "helpline_contacts": lambda: _("Helpline contact"),
    "consultations": lambda: _("Consultation"),
    "referral_ref": lambda: _("Referral"),
    "admitted": lambda: _("Admitted"),
    "admitted_as_minor": lambda: _("Admitted as a minor"),
    "restricted": lambda: _("Restricted access"),
    "exploitation": lambda: _("Exploitation"),
    "form": lambda: _("Form"),
    "primary": lambda: _("Primary form"),
    "place": lambda: _("Place"),
    "country": lambda: _("Country"),
    "sector": lambda: _("Sector"),
    "means_of_control": lambda: _("Means of control"),
    "exploiter_relation": lambda: _("Exploiter's relation"),
    "minor_when_exploited": lambda: _("A minor when exploited"),
    "start": lambda: _("Start"),
    "end": lambda: _("End"),
    "residence": lambda: _("Right of residence"),
    "from": lambda: _("From"),
    "category": lambda: _("Category"),
    "permit_type": lambda: _("Permit type"),
    "reflection_periods": lambda: _("Reflection period"),
    "granted": lambda: _("Decision date"),
    "granted_by": lambda: _("Granted by"),
    "identification": lambda: _("Identification"),
    "ground": lambda: _("Ground"),
    "justification": lambda: _("Justification"),
    "services": lambda: _("Service"),
    "service": lambda: _("Service"),
    "provider": lambda: _("Provider"),
    "children": lambda: _("Child"),
    "ended": lambda: _("Assistance ended"),
    "end_reason": lambda: _("Reason for ending"),
    "end_details": lambda: _("Details of the ending"),
    "case_notes": lambda: _("Case note"),
    "author": lambda: _("Author"),
    "text": lambda: _("Text"),
    "kind": lambda: _("Kind"),
    "title": lambda: _("Title"),
    "due": lambda: _("Due"),
    "closed_on": lambda: _("Closed on"),
    "caller_type": lambda: _("Caller type"),
    "language": lambda: _("Language"),
    "topic": lambda: _("Topic"),
    "contact_type": lambda: _("Who consulted"),
    "time": lambda: _("Time"),
    "user": lambda: _("User"),
    "action": lambda: _("Action"),
    "object_type": lambda: _("Object type"),
    "object_id": lambda: _("Object id"),
}

STYLESHEET = Path(__file__).with_name("subject_access_pdf.css")
LOG_COLUMNS = ("time", "user", "kind", "action", "object_type", "object_id", "reason")


def _label(key: str) -> str:
    maker = _LABELS.get(key)
    return maker() if maker else key.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return str(value)


def _block(title: str, data: dict[str, Any]) -> Block:
    """Return DATA as a block: scalars as rows, dicts as prefixed rows, lists of dicts nested."""
    block = Block(title)
    for key, value in data.items():
        if isinstance(value, dict):
            block.rows.extend(
                (f"{_label(key)}: {_label(inner)}", _text(item)) for inner, item in value.items()
            )
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            block.children.extend(
                _block(f"{_label(key)} {number}", item) for number, item in enumerate(value, 1)
            )
        else:
            block.rows.append((_label(key), _text(value)))
    return block


def _sections(package: dict[str, Any]) -> list[Block]:
    sections = [Block(_("Person"), children=[_block("", package["person"])])]
    sections.append(
        Block(
            _("Referrals"),
            children=[
                _block(_("Referral %(ref)s") % {"ref": r["ref"]}, r) for r in package["referrals"]
            ],
        )
    )
    sections.append(
        Block(
            _("Client periods"),
            children=[
                _block(_("Client period %(number)s") % {"number": number}, period)
                for number, period in enumerate(package["client_periods"], 1)
            ],
        )
    )
    if package["periods_as_a_child"]:
        sections.append(
            Block(
                _("Periods as a client's child"),
                children=[
                    _block(_("Period %(number)s") % {"number": number}, period)
                    for number, period in enumerate(package["periods_as_a_child"], 1)
                ],
            )
        )
    return sections


def _log_row(row: dict[str, Any]) -> list[str]:
    kinds = dict(AuditEvent.Kind.choices)
    # Local time to the second: the offset is the same Finnish time throughout the document.
    time = row["time"][:19].replace("T", " ")
    values = {**row, "time": time, "kind": kinds.get(row["kind"], row["kind"])}
    return [_text(values[column]) for column in LOG_COLUMNS]


def subject_access_pdf(package: dict[str, Any]) -> bytes:
    """Return the package as a PDF document in the active language."""
    html = render_to_string(
        "audit/subject_access_pdf.html",
        {
            "package": package,
            "language": get_language() or "en",
            "sections": _sections(package),
            "log_columns": [_label(c) for c in LOG_COLUMNS],
            "log_rows": [_log_row(row) for row in package["access_log"]],
        },
    )
    return html_to_pdf(html, stylesheets=[STYLESHEET])
