"""The letter of an admission decision, in Finnish, Swedish or English, as HTML or PDF.

The letter is written in the language chosen for the person, whatever the language of the
screen: it is rendered under `translation.override`, which also gives the dates their format
and the reference lists their labels in that language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from nas.casework.choices import ClientType
from nas.common.pdf import html_to_pdf
from nas.referrals.choices import Outcome
from nas.referrals.forms import FINDING_LABELS
from nas.referrals.models import AdmissionDecision, Referral
from nas.referrals.services import ADMISSION_IS_IDENTIFICATION_FROM

LETTER_LANGUAGES = ("fi", "sv", "en")
STYLESHEET = Path(__file__).with_name("letter_pdf.css")


def letter_language(requested: str | None) -> str:
    """Return REQUESTED if a letter can be written in it, else the screen's language."""
    if requested in LETTER_LANGUAGES:
        return str(requested)
    active = (translation.get_language() or "")[:2]
    return active if active in LETTER_LANGUAGES else LETTER_LANGUAGES[0]


def _context(referral: Referral, decision: AdmissionDecision, language: str) -> dict[str, Any]:
    positive = decision.outcome == Outcome.POSITIVE
    return {
        "referral": referral,
        "person": referral.person,
        "decision": decision,
        "language": language,
        "positive": positive,
        "identifies": positive
        and decision.client_type == ClientType.VICTIM
        and decision.date >= ADMISSION_IS_IDENTIFICATION_FROM,
        "findings": [(label, getattr(decision, name)) for name, label in FINDING_LABELS.items()],
    }


def letter_html(referral: Referral, decision: AdmissionDecision, language: str) -> SafeString:
    """Return the body of the letter (a fragment) in LANGUAGE."""
    with translation.override(language):
        return render_to_string("referrals/_letter.html", _context(referral, decision, language))


def letter_pdf(referral: Referral, decision: AdmissionDecision, language: str) -> bytes:
    """Return the letter as a PDF document in LANGUAGE."""
    with translation.override(language):
        html = render_to_string("referrals/letter_pdf.html", _context(referral, decision, language))
        return html_to_pdf(html, stylesheets=[STYLESHEET])
