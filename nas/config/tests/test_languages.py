"""A translator adds a language by adding its catalogue: no change of code."""

from __future__ import annotations

from django.conf import settings

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
