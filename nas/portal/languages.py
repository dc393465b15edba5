"""The languages a referred person may speak, as codes (ISO 639) with names in the page's language.

A person's languages are stored as codes (nas.people.models.Person.languages). The names of
most come from Django's own translated list; the few Django does not know are named here.
This is a list of spoken languages, not of the languages of the user interface.
"""

from __future__ import annotations

from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

# Languages Django names (its catalogues translate the names).
_DJANGO_NAMED = (
    "ar", "az", "bg", "bn", "bs", "ckb", "cs", "de", "en", "es", "et", "fa", "fi", "fr",
    "he", "hi", "hr", "hu", "hy", "id", "ig", "it", "ka", "kk", "km", "ky", "lt", "lv",
    "mn", "ms", "my", "ne", "pa", "pl", "pt", "ro", "ru", "sk", "sq", "sr", "sv", "sw",
    "ta", "tg", "th", "tr", "uk", "ur", "uz", "vi",
)  # fmt: skip

# Languages often spoken by people referred to the assistance system that Django does not name.
_NAMED_HERE = {
    "am": _("Amharic"),
    "ku": _("Kurdish"),
    "pcm": _("Nigerian Pidgin"),
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "tl": _("Tagalog"),
    "yo": _("Yoruba"),
    "zh": _("Chinese"),
}


def spoken_language_choices() -> list[tuple[str, str]]:
    """Return (code, name) pairs of the spoken languages, sorted by name in the active language."""
    names = {code: str(get_language_info(code)["name_translated"]) for code in _DJANGO_NAMED}
    names.update({code: str(name) for code, name in _NAMED_HERE.items()})
    return sorted(names.items(), key=lambda item: item[1].casefold())
