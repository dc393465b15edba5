"""Country names in Swedish and Finnish: the project's catalogue fills the gaps of
django-countries' Swedish one without changing English or Finnish."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_countries import countries

from nas.common.country_names import CORRECTED


@pytest.mark.parametrize(
    ("code", "en", "fi", "sv"),
    [
        ("PH", "Philippines", "Filippiinit", "Filippinerna"),
        ("EG", "Egypt", "Egypti", "Egypten"),
        ("CA", "Canada", "Kanada", "Kanada"),
        ("SS", "South Sudan", "Etelä-Sudan", "Sydsudan"),
        ("NP", "Nepal", "Nepal", "Nepal"),
        ("SE", "Sweden", "Ruotsi", "Sverige"),
    ],
)
def test_a_country_is_named_in_the_language(code: str, en: str, fi: str, sv: str) -> None:
    for language, name in (("en", en), ("fi", fi), ("sv", sv)):
        with translation.override(language):
            assert str(countries.name(code)) == name, language


def test_no_corrected_name_is_left_in_english_in_swedish() -> None:
    with translation.override("sv"):
        untranslated = {
            code: str(countries.name(code))
            for code, english in CORRECTED.items()
            if str(countries.name(code)) == english
        }
    assert untranslated == {}


def test_the_corrected_codes_are_the_english_names_of_django_countries() -> None:
    with translation.override("en"):
        assert {code: str(countries.name(code)) for code in CORRECTED} == CORRECTED
