"""A translator adds a language by adding its catalogue: no change of code."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from nas.config.languages import CORE, interface_languages


def catalogue(root, code):
    folder = root / code / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")


def test_the_core_languages_come_first_then_every_catalogue_found(tmp_path):
    for code in ("fi", "sv", "so", "ru", "xx"):
        catalogue(tmp_path, code)
    (tmp_path / "ar").mkdir()  # a folder without a catalogue

    # Django has no Somali locale ("so") and knows no "xx": it could not switch to them.
    assert interface_languages(tmp_path) == [*CORE, ("ru", "Russian")]


def test_the_project_offers_finnish_swedish_and_english():
    assert [code for code, _name in settings.LANGUAGES][:3] == ["fi", "sv", "en"]


# Arabic stands for any right-to-left language a translator may add; it is a test-only setting.
WITH_ARABIC = [*settings.LANGUAGES, ("ar", "Arabic")]


@pytest.mark.django_db
@override_settings(LANGUAGES=WITH_ARABIC)
@pytest.mark.parametrize("name", ["self_referral:form", "accounts:sign_in"])
def test_a_right_to_left_language_turns_the_page_right_to_left(client, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.django_db
@override_settings(LANGUAGES=WITH_ARABIC)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_core_languages_stay_left_to_right(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("self_referral:form")).content.decode()

    assert f'<html lang="{language}" dir="ltr">' in page


def test_the_style_sheet_has_no_left_or_right_that_a_right_to_left_page_would_keep():
    # Logical properties (margin-inline-end, text-align: start) follow the page's direction.
    css = (settings.BASE_DIR / "nas" / "common" / "static" / "nas" / "nas.css").read_text()

    assert re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css) == []
