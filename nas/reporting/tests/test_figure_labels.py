"""Every published figure has a title a reader understands, in each language."""

from __future__ import annotations

import pytest
from django.utils import translation

from nas.common.dates import Period
from nas.reporting.data import computed
from nas.reporting.fixture2025 import build_fixture_2025
from nas.reporting.labels import figure_label, load_labels

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "en", "fi"),
    [
        ("stock.victims", "Clients on the last day: victims", None),
        ("referrals.by_referrer_type.police", "Referrals by referrer type: Police", None),
        ("new_clients.by_nationality.NP", "New victims by nationality: Nepal", None),
        ("new_clients.by_age_band.60_plus", "New victims by age at admission: 60 and over", None),
        (
            "exploitation.by_form_gender.forced_labour.female",
            "Forms of exploitation by gender: Forced labour, Female",
            None,
        ),
        ("referrals.same_period.2024", "Referrals in the same period of the year: 2024", None),
        ("finland.by_nationality.other", "Exploited in Finland by nationality: Other", None),
    ],
)
def test_a_figure_is_titled_with_its_codes_labels(key, en, fi):
    with translation.override("en"):
        assert figure_label(key, load_labels()) == en


def test_every_figure_of_a_year_has_a_title_in_each_language(db):
    build_fixture_2025()
    keys = list(computed(Period.year(2025), internal=True).values)
    assert len(keys) > 300
    assert any(key.startswith("referrals.same_period.") for key in keys)
    assert any(key.startswith("finland.multiple_forms_by_gender.") for key in keys)
    for language in ("en", "fi", "sv"):
        with translation.override(language):
            labels = load_labels()
            untitled = [key for key in keys if figure_label(key, labels) == key]
            assert untitled == [], language


def test_the_titles_are_translated():
    with translation.override("fi"):
        fi = figure_label("stock.victims", load_labels())
    with translation.override("sv"):
        sv = figure_label("stock.victims", load_labels())
    assert len({fi, sv, "Clients on the last day: victims"}) == 3


def test_an_unknown_key_is_shown_as_it_is():
    assert figure_label("something.new", load_labels()) == "something.new"
    assert (
        figure_label("stock.by_gender.female.extra", load_labels())
        == "stock.by_gender.female.extra"
    )
