"""Countries generalised to regions (UN M49 regions), and the EU member states.

Used by the interchange exports: the HTCDS case file generalises nationality and the country
of exploitation to the region, and Eurostat's breakdown splits citizenship into the
reporting country, the other EU member states and the rest. Codes are ISO 3166-1 alpha-2 as
the records keep them (Greece is GR, not Eurostat's EL).
"""

from __future__ import annotations

AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA = "Africa", "Americas", "Asia", "Europe", "Oceania"
OTHER_REGION = "Other"

_REGIONS: dict[str, str] = {
    AFRICA: (
        "DZ EG LY MA SD TN EH IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM "
        "ZW AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG "
        "SH SN SL TG"
    ),
    AMERICAS: (
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
        "BZ CR SV GT HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA GL PM US"
    ),
    ASIA: (
        "KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN "
        "IR MV NP PK LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"
    ),
    EUROPE: (
        "BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL AD "
        "BA HR GI GR VA IT MT ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH"
    ),
    OCEANIA: (
        "AU NZ NF HM CX CC FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF"
    ),
}
REGION_OF: dict[str, str] = {
    code: region for region, codes in _REGIONS.items() for code in codes.split()
}

# The member states of the European Union since 1 February 2020 (Eurostat's EU27_2020).
EU27_2020 = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)


def region(code: str) -> str:
    """Return the M49 region of a country code (Other for one outside them, e.g. AQ)."""
    return REGION_OF.get(code, OTHER_REGION)
