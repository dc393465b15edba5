"""The languages of the user interface: Finnish, Swedish and English, and any other language
a translator has added a catalogue for (nas/locale/<code>/LC_MESSAGES/django.po).

So a new language needs no change of code: a translator adds the catalogue (the build
compiles it), and the language appears in the switcher and on the public forms.
"""

from __future__ import annotations

from pathlib import Path

from django.conf.locale import LANG_INFO

# The languages the assistance system works in, first and always.
CORE = (("fi", "Finnish"), ("sv", "Swedish"), ("en", "English"))


def interface_languages(locale_dir: Path) -> list[tuple[str, str]]:
    """Return (code, English name) of the core languages and every other catalogue found.

    A directory whose name Django does not know as a language is left out (Django could not
    switch to it).
    """
    core = {code for code, _name in CORE}
    added = (
        sorted(
            path.name
            for path in locale_dir.iterdir()
            if (path / "LC_MESSAGES" / "django.po").is_file()
            and path.name not in core
            and path.name in LANG_INFO
        )
        if locale_dir.is_dir()
        else []
    )
    return [*CORE, *((code, str(LANG_INFO[code]["name"])) for code in added)]
