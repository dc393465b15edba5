"""The 2025 publication of the fixture (reference/004) as HTML, PDF and XLSX, in three languages.

The dataset is `build_fixture_2025()`; the publication is built once for the module from the
published (disclosure-controlled) figures, and the data rolled back.
"""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.db import connection, transaction
from openpyxl import load_workbook  # type: ignore[import-untyped]

from nas.common.dates import Period
from nas.reporting.data import publication_figures
from nas.reporting.fixture2025 import build_fixture_2025
from nas.reporting.publication import build_publication
from nas.reporting.render import publication_html, publication_pdf, publication_xlsx, shown
from nas.reporting.tables import WITHHELD

YEAR = Period.year(2025)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    """The publications of the fixture's 2025, made once for the module's tests."""
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        with transaction.atomic():
            build_fixture_2025()
            figures = publication_figures(YEAR)
            publications = {
                lang: build_publication(figures, language=lang) for lang in ("en", "fi", "sv")
            }
            result = {
                "figures": figures,
                "publication": publications["en"],
                "html": {lang: publication_html(p) for lang, p in publications.items()},
                "pdf": publication_pdf(publications["en"]),
                "xlsx": publication_xlsx(publications["en"]),
                "internal": build_publication(
                    publication_figures(YEAR, internal=True), language="en"
                ),
            }
            transaction.set_rollback(True)
    return result


def text_of(html: str) -> str:
    """The running text of an HTML document, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_html_states_the_key_figures_of_the_publication(made):
    text = text_of(made["html"]["en"])

    for sentence in (
        "The NAS Annual Statistics 2025",
        "In 2025, 467 referrals were entered into the National Assistance System",
        "271 persons were admitted as clients.",
        "a total of 271 positive client admission decisions were made",
        "There were 154 negative admission decisions.",
        "No need for the help the assistance system provides (75, 49%)",
        "Assistance was ended for 169 clients.",
        "No longer in need of assistance (98, 58%)",
        "the NAS admitted a total of 271 victims of human trafficking as new clients.",
        "32 children of victims were admitted with them.",
        "Of the victims, 61% were women and girls.",
        "10 of the new victims were minors (4%).",
        "18–29 years 42%, 30–39 years 35%, 40–49 years 15%",
        "The new victims represented 50 nationalities.",
        "The most common were Nepal (62) and Somalia (30).",
        "18 of the new victims were Finnish citizens (7%);",
        "17 of them had been exploited in Finland.",
        "“Other” (26%) refers to all those nationalities representing fewer than 5 persons.",
        "There were 271 new victims and 314 forms of exploitation in total",
        "141 of the new victims had been exploited in Finland. Of these, 86 were men and 55 women.",
        "They represented 31 nationalities.",
        "They had experienced 149 forms of exploitation in Finland in total. 8 persons had "
        "experienced more than one form. All of them were women or girls.",
        "Forced labour (101, 68%)",
        "Nepal (59, 42%) and Finland (17, 12%)",
        "35 reflection periods were granted.",
        "68% had a residence permit in Finland",
        "Seasonal work (50), Work (21) and Family ties (13)",
        "9 were asylum seekers (6%).",
        "14 persons were without a legal right of residence in Finland.",
        "On 31 December 2025, the NAS had 1,634 clients.",
        "Of them, 1,424 were identified victims and 210 their underage children.",
        "There were 10 children among the victims, and 85 clients had been admitted",
        "Women accounted for approximately 61% of the trafficking victims.",
        "In total, 81 different nationalities.",
    ):
        assert sentence in text, sentence


def test_the_nationality_bands_are_named_as_in_the_publication(made):
    text = text_of(made["html"]["en"])

    assert (
        "10–19 persons per nationality: Syria, Morocco, Bangladesh, China, Eritrea, Gambia, "
        "Philippines, Uganda, Colombia, Pakistan, Ukraine."
    ) in text
    # The threshold of 5 folds Senegal and Ghana (4 each) into Other: 45 of fewer than 5.
    assert "Fewer than 10 persons per nationality: Kenya, Sudan, Bulgaria, Ethiopia" in text
    assert "45 nationalities represented by fewer than 5 persons each" in text
    assert "9 persons of unknown nationality" in text


def test_withheld_figures_appear_nowhere_in_the_text(made):
    figures = made["figures"]
    assert figures.get("new_clients.by_age_band.60_plus") is None  # three persons
    text = text_of(made["html"]["en"])
    assert "Three clients" not in text and "60 and over years" not in text
    assert "The numbers of the smallest age groups are withheld." in text
    ages = made["publication"].tables["new_by_age"]
    assert ages.value("60_plus") is None and ages.value("60_plus", 2) is None


def test_a_count_under_the_threshold_shows_as_under_it_and_a_protecting_one_as_dots(made):
    ages = {row.label: row for row in shown(made["publication"].tables["new_by_age"]).rows}

    # Three persons over 59: "<5"; the eight aged 50-59 are withheld so that the three cannot
    # be worked out from the total: "..". Their shares are withheld with them.
    assert [cell.text for cell in ages["60 and over"].cells] == ["<5", WITHHELD]
    assert [cell.text for cell in ages["50–59"].cells] == [WITHHELD, WITHHELD]
    assert made["figures"].get("new_clients.by_age_band.50_59") is None
    assert "“&lt;5” marks a number from 1 to 4" in text_of(made["html"]["en"])


def test_withheld_rows_come_last_in_the_order_of_their_labels(made):
    table = made["publication"].tables["ended"]
    codes = [row.code for row in table.body()]
    values = [row.cells[0] for row in table.body()]

    published = [v for v in values if v is not None]
    assert published == sorted(published, reverse=True)
    assert values[len(published) :] == [None] * (len(values) - len(published))
    assert codes[len(published) :] == ["assisted_return", "other"]


def test_every_chart_is_next_to_its_table_with_a_text_alternative(made):
    html = made["html"]["en"]
    publication = made["publication"]

    assert len(publication.charts) == 12
    for key, chart in publication.charts.items():
        assert f'id="table-{key}"' in html
        assert f'alt="{chart.description}"' in html.replace("&#x27;", "'")
        assert chart.description.startswith("Bar chart: ")


def test_the_html_is_a_document_of_its_own_in_its_language(made):
    for lang, html in made["html"].items():
        assert html.startswith("<!doctype html>")
        assert f'<html lang="{lang}">' in html
        assert '<link rel="stylesheet" href="data:text/css;base64,' in html
        assert 'src="data:image/svg+xml;base64,' in html
        assert html.count("<h1") == 1
    assert "1\xa0634" in made["html"]["fi"] and "1\xa0634" in made["html"]["sv"]


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects, those inside compressed object streams included."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue  # an image or a font, not objects
    return b"\n".join(inflated)


def test_the_pdf_has_pages_and_the_charts_drawn_inline(made):
    pdf = made["pdf"]

    assert pdf.startswith(b"%PDF")
    objects = pdf_objects(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b", objects))
    assert 8 <= pages <= 25
    # The charts are vector drawings with their text as text: no raster images.
    assert b"/Subtype /Image" not in objects


def test_the_workbook_has_one_sheet_per_table_with_numbers_as_numbers(made):
    workbook = load_workbook(io.BytesIO(made["xlsx"]))
    tables = made["publication"].tables

    assert len(workbook.sheetnames) == len(tables)
    referrers = workbook["Referrers"]
    assert [cell.value for cell in referrers[1]] == ["Referrer type", "Referrals", "Share"]
    rows = {row[0]: row[1:] for row in referrers.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["Finnish Immigration Service"][0] == 150
    assert rows["Finnish Immigration Service"][1] == pytest.approx(150 / 467)
    assert rows["Total"][0] == 467
    ages = {
        row[0]: row[1:]
        for row in workbook["New victims, age"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert ages["18–29"][0] == 114
    assert ages["60 and over"] == ("<5", WITHHELD)  # withheld as under 5: text, not a number
    assert workbook["Referrers"]["C2"].number_format == "0%"


def test_the_internal_publication_says_so_and_withholds_nothing(made):
    internal = made["internal"]
    html = publication_html(internal)

    assert "Internal – not for publication" in html
    assert internal.tables["new_by_age"].value("60_plus") == 3
    assert internal.figures.withheld == []
