"""Dates and numbers on the casework pages are written as the active language writes them.

Finnish and Swedish (as written in Finland, by the Finnish authorities) put the day first
with points, 15.3.2024; the long form names the month in the language; a decimal comma; a
space between thousands. The language is the one the switcher chose (its cookie).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from nas.casework.services import task_create
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.documents.tests.factories import add_document
from nas.referrals.models import Referral

NBSP = "\xa0"


def get(http_client: Any, user: Any, language: str, address: str) -> str:
    sign_in_verified(http_client, user)
    http_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = http_client.get(address)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}" dir="ltr">' in page
    return page


@pytest.mark.parametrize(
    ("language", "size"), [("fi", f"1,5{NBSP}"), ("sv", f"1,5{NBSP}"), ("en", f"1.5{NBSP}")]
)
def test_the_client_file_writes_dates_and_numbers_in_the_language(
    client, caseworker, victim, language, size
):
    task_create(acting_user=caseworker, client=victim, title="Call", due=dt.date(2024, 12, 5))
    add_document(victim, acting_user=caseworker, content=b"%PDF-1.7\n" + b"x" * 1527)
    page = get(client, caseworker, language, reverse("client_detail", args=[victim.pk]))
    # The admission (15 March 2024) and the task's due date, day first with points.
    assert "15.3.2024" in page and "5.12.2024" in page
    assert "2024-03-15" not in page and "2024-12-05" not in page
    assert "3/15/2024" not in page
    # The size of the document (1536 bytes): the language's decimal mark.
    assert size in page, page


@pytest.mark.parametrize(
    ("language", "long_date"),
    [("fi", "15. maaliskuuta 2024"), ("sv", "15 mars 2024"), ("en", "15 March 2024")],
)
def test_the_decision_letter_names_the_month_in_the_language(
    client, caseworker, victim, language, long_date
):
    address = reverse("referrals:letter", args=[victim.referral.pk]) + f"?lang={language}"
    page = get(client, caseworker, language, address)
    assert long_date in page


@pytest.mark.parametrize(
    ("language", "count"),
    [
        ("fi", f"1{NBSP}234 ohjausta"),
        ("sv", f"1{NBSP}234 hänvisningar"),
        ("en", "1,234 referrals"),
    ],
)
def test_the_inbox_counts_the_referrals_with_the_languages_thousand_separator(
    client, caseworker, language, count
):
    first = testing.make_referral(assigned_to=caseworker)
    fields = {
        field.attname: getattr(first, field.attname)
        for field in Referral._meta.concrete_fields
        if field.attname not in ("id", "ref")
    }
    Referral.objects.bulk_create(Referral(**fields, ref=f"NAS-2024-9{n:05d}") for n in range(1233))
    page = get(client, caseworker, language, reverse("referrals:inbox"))
    assert escape(count) in page or count in page, page[:3000]
    assert "1234 " not in page


@pytest.mark.parametrize(
    ("language", "received"),
    [("fi", "1.3.2024"), ("sv", "1.3.2024"), ("en", "1.3.2024")],
)
def test_the_dashboard_writes_the_dates_day_first(client, decision_maker, language, received):
    referral = testing.make_referral(assess=True, assigned_to=decision_maker)
    assert referral.received == dt.date(2024, 3, 1)
    page = get(client, decision_maker, language, reverse("home"))
    assert received in page
    assert "2024-03-01" not in page
