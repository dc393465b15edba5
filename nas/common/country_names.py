"""Swedish country names that django-countries leaves in English.

django-countries' Swedish catalogue leaves about twenty names untranslated ("Philippines",
"Egypt", "Canada"), and those show in Swedish pages and publications. The names are marked
here so that they reach the project's own catalogues, whose translations take precedence over
an installed app's (LOCALE_PATHS): Swedish gets the names that Finland-Swedish writes, Finnish
keeps django-countries' own translation. Nothing imports this module at run time; it exists
for makemessages.
"""

from django.utils.translation import gettext_noop

CORRECTED = {
    "AS": gettext_noop("American Samoa"),
    "BV": gettext_noop("Bouvet Island"),
    "BR": gettext_noop("Brazil"),
    "CV": gettext_noop("Cabo Verde"),
    "KH": gettext_noop("Cambodia"),
    "CA": gettext_noop("Canada"),
    "TD": gettext_noop("Chad"),
    "CC": gettext_noop("Cocos (Keeling) Islands"),
    "CU": gettext_noop("Cuba"),
    "EG": gettext_noop("Egypt"),
    "GE": gettext_noop("Georgia"),
    "HK": gettext_noop("Hong Kong"),
    "JO": gettext_noop("Jordan"),
    "LB": gettext_noop("Lebanon"),
    "NF": gettext_noop("Norfolk Island"),
    "PH": gettext_noop("Philippines"),
    "PN": gettext_noop("Pitcairn"),
    "SS": gettext_noop("South Sudan"),
}
