"""Volumes and distributions of the synthetic data, taken from the reference publications.

Figures quoted in comments are published ones (annual statistics 2025, review of 2023, the
2020 press release, the half-year release and the overview of 2015). Years without a
published figure are interpolated so that the trends look plausible.
"""

from __future__ import annotations

from typing import NamedTuple


class Year(NamedTuple):
    """The targets of one year (at scale 1)."""

    referrals: int  # referrals received
    victims: int  # victims admitted (positive decisions, client type victim)
    witnesses: int
    children: int  # children of clients admitted
    negative: int | None  # negative decisions; None = derived from the referrals available
    stock_victims: int | None  # victims + witnesses active on 31 December
    stock_children: int | None  # children active on 31 December


FIRST_YEAR = 2008

YEARS: dict[int, Year] = {
    2008: Year(25, 15, 0, 5, None, None, None),
    2009: Year(35, 25, 0, 8, None, None, None),
    2010: Year(40, 30, 0, 9, None, None, None),
    2011: Year(65, 50, 1, 14, None, None, None),
    2012: Year(80, 60, 1, 16, None, None, None),
    2013: Year(70, 50, 1, 14, None, None, None),
    2014: Year(75, 55, 1, 15, None, None, None),
    2015: Year(75, 52, 1, 15, 21, None, None),  # 75 referrals, 52 positive, 21 negative
    2016: Year(190, 130, 1, 35, None, None, None),
    2017: Year(220, 150, 2, 40, None, None, None),
    2018: Year(260, 180, 2, 45, None, 350, 105),  # 455 clients at the end of 2018
    2019: Year(320, 220, 2, 55, None, 515, 161),  # 676 clients at the end of 2019
    2020: Year(370, 244, 3, 50, None, 704, 212),  # 244 + 3 + 50; 916 = 704 + 212
    2021: Year(400, 260, 3, 52, None, 880, 240),
    2022: Year(450, 290, 3, 48, None, 1080, 262),
    2023: Year(510, 326, 3, 36, None, 1287, 276),  # 510; 326 + 36; 1,563 = 1,287 + 276
    2024: Year(370, 215, 2, 30, None, 1320, 268),  # H1 2025 (185) was 19% above H1 2024
    2025: Year(467, 271, 2, 32, 154, 1424, 210),  # the annual statistics 2025
}
# A year after the table repeats the last one; the hazard of ending assistance then is:
DEFAULT_END_HAZARD = 0.11
# Before the first stock target, the yearly share of clients whose assistance ends:
EARLY_END_HAZARD = 0.3


def year_targets(year: int) -> Year:
    """Return the targets of YEAR (the last known year for later ones)."""
    if year in YEARS:
        return YEARS[year]
    last = YEARS[max(YEARS)]
    return last._replace(negative=None, stock_victims=None, stock_children=None)


def basis(year: int) -> Year:
    """Return the published profile of YEAR, or of the last published year for later ones.

    Unlike year_targets, the last year's figures are kept whole (its negative decisions
    too): a year in progress follows them in proportion to its elapsed part.
    """
    return YEARS.get(year) or YEARS[max(YEARS)]


# Seasonality of referrals: more in late summer and autumn (berry and harvest seasons).
MONTH_WEIGHTS = (0.85, 0.85, 0.9, 0.9, 0.95, 0.95, 0.95, 1.05, 1.2, 1.2, 1.15, 0.95)

Weights = dict[str, float]

# Referrer types. 2025: half from the Immigration Service and reception centres, a fifth
# from the persons themselves; wellbeing services counties doubled on 2024.
REFERRERS_2025: Weights = {
    "immigration_service": 29,
    "reception_centre": 21,
    "self": 20,
    "ngo": 8,
    "police": 7,
    "wellbeing_services_county": 4,
    "solicitor": 3,
    "shelter": 2,
    "other_authority": 2,
    "border_guard": 1,
    "te_office": 1,
    "private_person": 1,
    "other": 1,
}
REFERRERS_2023: Weights = {
    "ngo": 21,  # Victim Support Finland
    "self": 20,
    "police": 16,
    "immigration_service": 12,
    "reception_centre": 10,
    "solicitor": 6,
    "shelter": 5,
    "wellbeing_services_county": 3,
    "te_office": 2,
    "other_authority": 2,
    "border_guard": 1,
    "private_person": 1,
    "other": 1,
}
REFERRERS_EARLY: Weights = {
    "ngo": 22,
    "police": 18,
    "reception_centre": 17,
    "immigration_service": 12,
    "self": 14,
    "solicitor": 5,
    "shelter": 5,
    "other_authority": 4,
    "border_guard": 2,
    "private_person": 1,
    "other": 0.5,
}


def referrer_weights(year: int) -> Weights:
    if year >= 2025:
        return REFERRERS_2025
    if year == 2024:
        return {
            k: (REFERRERS_2025.get(k, 0) + REFERRERS_2023.get(k, 0)) / 2 for k in REFERRERS_2025
        }
    if year >= 2023:
        return REFERRERS_2023
    return REFERRERS_EARLY


# How likely a referral of each referrer type leads to admission (relative weights): the
# police's and Victim Support Finland's referrals are almost all admitted, self-referrals
# about half.
ADMISSION_WEIGHT: Weights = {
    "police": 4.0,
    "border_guard": 3.0,
    "ngo": 3.5,
    "shelter": 2.5,
    "solicitor": 2.0,
    "immigration_service": 1.3,
    "reception_centre": 1.3,
    "wellbeing_services_county": 1.5,
    "te_office": 1.2,
    "other_authority": 1.5,
    "self": 0.8,
    "private_person": 0.8,
    "other": 1.0,
}

ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "police": (
        "Helsinki Police Department",
        "Eastern Uusimaa Police Department",
        "Southeast Finland Police Department",
        "Central Finland Police Department",
        "Oulu Police Department",
        "National Bureau of Investigation",
    ),
    "border_guard": ("Gulf of Finland Coast Guard District", "Southeast Finland Border Guard"),
    "immigration_service": ("Finnish Immigration Service, asylum unit",),
    "reception_centre": (
        "Joutseno Reception Centre",
        "Helsinki Reception Centre",
        "Oulu Reception Centre",
        "Tampere Reception Centre",
    ),
    "wellbeing_services_county": (
        "Wellbeing Services County of Vantaa and Kerava",
        "Pirkanmaa Wellbeing Services County",
        "City of Helsinki social services",
    ),
    "te_office": ("Uusimaa TE Office",),
    "ngo": ("Victim Support Finland", "Pro-tukipiste", "Monika Women's Association", "Exit"),
    "shelter": ("Helsinki shelter", "Tampere shelter", "Lappeenranta shelter"),
    "solicitor": ("Law office (solicitor)",),
    "other_authority": ("Occupational Safety and Health Authority", "Customs"),
}

CHANNELS_BY_REFERRER: dict[str, Weights] = {
    "self": {"helpline": 35, "phone": 20, "web_form": 25, "email": 10, "in_person": 10},
    "private_person": {"helpline": 40, "phone": 30, "email": 20, "web_form": 10},
}
CHANNELS_DEFAULT: Weights = {"email": 45, "phone": 20, "portal": 20, "letter": 5, "in_person": 5}

OFFICE_WEIGHTS: Weights = {"helsinki": 45, "tampere": 25, "lappeenranta": 30}

NEGATIVE_REASONS: Weights = {"no_need": 49, "not_trafficking": 40, "no_consent": 7, "other": 4}

END_REASONS: Weights = {
    "no_need": 58,
    "left_finland": 15,
    "missing": 12,
    "assisted_return": 5,
    "client_request": 5,
    "not_victim_authority": 2,
    "removed_from_country": 1,
    "died": 1,
    "other": 1,
}

# Age at referral (new victims 2025: 4% minors, 42% 18-29, 35% 30-39, 15% 40-49, 3% 50-59).
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (12, 17, 4.0),
    (18, 29, 42.0),
    (30, 39, 35.0),
    (40, 49, 15.0),
    (50, 59, 3.0),
    (60, 70, 1.0),
)

# Nationalities of new victims. The base mix is that of all clients on 31 Dec 2025 (bands
# of 20+, 10-19, <10 and <4 persons); particular years add their large groups.
_BIG = {"NG": 10, "IQ": 6, "SO": 6, "AF": 5, "VN": 4.5, "FI": 6, "RU": 3.5, "TH": 3, "NP": 2}
_TEN_TO_NINETEEN = "SY MA BD CN ER GM PH UG CO PK UA"
_UNDER_TEN = "KE SD BG ET AO EG SL LK IN VE SN GH"
_RARE = (
    "CM RO EE TR IR GE AM AZ BY KZ KG TJ TM MN MM KH LA ID MY BR PE EC DO CU HT GN CI ML "
    "BF TG BJ LR CD ZW TZ RW DZ TN LY YE LB AL RS MD PL LT"
)
BASE_NATIONALITIES: Weights = {
    **_BIG,
    **dict.fromkeys(_TEN_TO_NINETEEN.split(), 1.4),
    **dict.fromkeys(_UNDER_TEN.split(), 0.9),
    **dict.fromkeys(_RARE.split(), 0.45),
    "unknown": 0.5,
    "stateless": 0.15,
}
YEAR_NATIONALITIES: dict[int, Weights] = {
    # 2020: many Finns and Vietnamese; forced marriage from the Middle East
    2020: {"VN": 6, "FI": 9, "IQ": 8},
    2022: {"UA": 6, "RU": 4},
    # 2023: 39% of the 208 exploited in Finland were from Thailand (berry pickers)
    2023: {"TH": 26, "UA": 3, "UZ": 3},
    2024: {"NP": 10, "TH": 8, "UZ": 3},
    # 2025: Nepal and Somalia the most common; 18 Finns (7%); 59 Nepalese exploited in Finland
    2025: {"NP": 20, "SO": 10, "FI": 1.5, "UZ": 1.5, "TH": 1.5},
}


def nationality_weights(year: int) -> Weights:
    weights = dict(BASE_NATIONALITIES)
    extra = YEAR_NATIONALITIES.get(min(year, 2025), {})
    if year >= 2025 or year == 2023:
        # the year's big groups crowd out part of the base mix
        weights = {k: v * 0.55 for k, v in weights.items()}
    weights.update({k: weights.get(k, 0) + v for k, v in extra.items()})
    return weights


EU_COUNTRIES = frozenset("BG RO EE LT LV PL HU SK SE DE IT ES FR GR PT NL".split())

# Forms of exploitation by the kind of nationality.
LABOUR_NATIONALITIES = frozenset("NP TH VN UZ BD LK PH IN UA KG TJ LA KH MM ID CN MN TM".split())
MARRIAGE_NATIONALITIES = frozenset("SO AF IQ SY ER ET SD YE IR PK".split())
WEST_AFRICAN = frozenset("NG GH GM SL SN CM LR GN CI ML BF TG BJ CD CG AO".split())

FORMS: dict[str, Weights] = {
    "labour": {
        "forced_labour": 86,
        "sexual_exploitation": 5,
        "forced_criminality": 3,
        "degrading_conditions": 3,
        "forced_marriage": 2,
        "other": 1,
    },
    "marriage": {
        "forced_marriage": 56,
        "sexual_exploitation": 18,
        "forced_labour": 16,
        "degrading_conditions": 5,
        "forced_criminality": 3,
        "other": 2,
    },
    "west_african": {
        "sexual_exploitation": 64,
        "forced_labour": 25,
        "forced_criminality": 4,
        "forced_marriage": 3,
        "degrading_conditions": 3,
        "forced_begging": 1,
    },
    "finnish": {
        "sexual_exploitation": 34,
        "forced_labour": 25,
        "forced_criminality": 18,
        "benefit_fraud": 11,
        "forced_marriage": 7,
        "degrading_conditions": 5,
    },
    "other": {
        "forced_labour": 45,
        "sexual_exploitation": 28,
        "forced_marriage": 12,
        "forced_criminality": 6,
        "degrading_conditions": 4,
        "forced_begging": 2,
        "benefit_fraud": 2,
        "other": 1,
        "organ_removal": 0.2,
    },
}
SECONDARY_FORMS: dict[str, Weights] = {
    "forced_labour": {
        "degrading_conditions": 4,
        "forced_criminality": 3,
        "sexual_exploitation": 2,
        "benefit_fraud": 1,
    },
    "sexual_exploitation": {
        "forced_criminality": 3,
        "forced_labour": 3,
        "forced_marriage": 2,
        "degrading_conditions": 2,
    },
    "forced_marriage": {"sexual_exploitation": 5, "forced_labour": 3, "degrading_conditions": 2},
    "forced_criminality": {"forced_labour": 3, "sexual_exploitation": 2, "benefit_fraud": 2},
    "benefit_fraud": {"degrading_conditions": 3, "forced_criminality": 2, "forced_labour": 1},
    "forced_begging": {"forced_criminality": 2, "degrading_conditions": 2},
    "degrading_conditions": {"forced_labour": 3, "benefit_fraud": 2},
    "organ_removal": {"degrading_conditions": 1},
    "other": {"forced_labour": 1, "sexual_exploitation": 1},
}
# Share of women by form (forced marriage and sexual exploitation mostly target women).
FEMALE_SHARE: dict[str, float] = {
    "forced_labour": 0.4,
    "sexual_exploitation": 0.93,
    "forced_marriage": 0.96,
    "forced_criminality": 0.38,
    "benefit_fraud": 0.55,
    "forced_begging": 0.5,
    "degrading_conditions": 0.6,
    "organ_removal": 0.3,
    "other": 0.5,
}

# Where a form took place: (finland, abroad, finland_and_abroad) by kind of nationality.
PLACES: dict[str, tuple[float, float, float]] = {
    "labour/forced_labour": (89, 6, 5),
    "labour": (40, 54, 6),
    "marriage/forced_marriage": (15, 76, 9),
    "marriage": (30, 64, 6),
    "west_african": (12, 82, 6),
    "finnish": (94, 5, 1),
    "other/forced_labour": (40, 54, 6),
    "other": (28, 66, 6),
}
TRANSIT_COUNTRIES = ("IT", "ES", "LY", "FR", "DE", "GR", "SE", "TR", "AE", "SA", "RU", "EE")

SECTORS_BASE: Weights = {
    "restaurant_catering": 22,
    "cleaning": 17,
    "construction": 12,
    "agriculture": 9,
    "berry_farm": 6,
    "wild_produce_picking": 4,
    "horticulture": 5,
    "wellbeing_beauty": 6,
    "domestic_work": 6,
    "warehousing_removals": 3,
    "car_services": 3,
    "transport": 3,
    "forestry": 2,
    "other": 2,
}
SECTORS_BY_NATIONALITY: dict[str, Weights] = {
    "TH": {"wild_produce_picking": 60, "berry_farm": 38, "wellbeing_beauty": 2},
    "NP": {
        "forestry": 30,
        "agriculture": 22,
        "horticulture": 10,
        "restaurant_catering": 22,
        "construction": 10,
        "cleaning": 6,
    },
    "UZ": {"forestry": 25, "construction": 30, "agriculture": 25, "berry_farm": 20},
    "VN": {"wellbeing_beauty": 35, "restaurant_catering": 30, "cleaning": 20, "berry_farm": 15},
}

MEANS: dict[str, Weights] = {
    "forced_labour": {
        "excessive_working_hours": 6,
        "takes_earnings": 6,
        "debt_bondage": 5,
        "false_promises": 6,
        "withholds_documents": 3,
        "threats": 3,
        "threat_of_law_enforcement": 3,
        "restricts_financial_access": 2,
        "withholds_necessities": 2,
        "restricts_movement": 1,
    },
    "sexual_exploitation": {
        "threats": 5,
        "psychological_abuse": 5,
        "physical_abuse": 3,
        "sexual_abuse": 4,
        "psychoactive_substances": 2,
        "takes_earnings": 3,
        "debt_bondage": 3,
        "restricts_movement": 2,
    },
    "forced_marriage": {
        "psychological_abuse": 6,
        "physical_abuse": 4,
        "threats": 4,
        "restricts_movement": 4,
        "uses_children": 2,
        "withholds_documents": 2,
        "sexual_abuse": 3,
    },
    "forced_criminality": {
        "threats": 5,
        "debt_bondage": 4,
        "psychoactive_substances": 3,
        "psychological_abuse": 3,
    },
    "benefit_fraud": {
        "restricts_financial_access": 5,
        "takes_earnings": 4,
        "psychological_abuse": 3,
        "withholds_necessities": 2,
    },
}
MEANS_DEFAULT: Weights = {"threats": 4, "psychological_abuse": 3, "false_promises": 2, "other": 1}

EXPLOITERS: dict[str, Weights] = {
    "forced_labour": {
        "employer": 75,
        "organised_group": 9,
        "friend_acquaintance": 8,
        "family": 2,
        "unknown": 6,
    },
    "sexual_exploitation": {
        "intimate_partner": 35,
        "organised_group": 30,
        "friend_acquaintance": 15,
        "unknown": 15,
        "other": 5,
    },
    "forced_marriage": {"family": 85, "intimate_partner": 10, "other": 5},
    "forced_criminality": {
        "organised_group": 40,
        "friend_acquaintance": 25,
        "intimate_partner": 20,
        "unknown": 15,
    },
    "benefit_fraud": {"intimate_partner": 35, "family": 35, "friend_acquaintance": 20, "other": 10},
}
EXPLOITERS_DEFAULT: Weights = {"employer": 25, "family": 25, "unknown": 30, "other": 20}

# Right of residence at admission (exploited in Finland, 2025: 68% residence permit, mostly
# seasonal work, work or family ties; 6% asylum seekers; 10% without a right of residence).
RESIDENCE_FINLAND: Weights = {
    "residence_permit": 80,
    "asylum_seeker": 7.5,
    "no_right_of_residence": 12,
    "visa": 2,
    "unknown": 0.5,
}
RESIDENCE_ABROAD: Weights = {
    "asylum_seeker": 40,
    "residence_permit": 38,
    "no_right_of_residence": 19,
    "visa": 3,
    "unknown": 5,
}
PERMITS_FINLAND: Weights = {
    "seasonal_work": 52,
    "work": 22,
    "family_ties": 14,
    "study": 4,
    "international_protection": 4,
    "trafficking_victim": 2,
    "other": 2,
}
PERMITS_ABROAD: Weights = {
    "family_ties": 35,
    "international_protection": 45,
    "work": 5,
    "study": 5,
    "trafficking_victim": 5,
    "other": 5,
}

# Per year (at scale 1), outside casework: helpline contacts, consultations, trainings.
HELPLINE_PER_YEAR = 520
CONSULTATIONS_PER_YEAR = 160
TRAININGS_PER_YEAR = 45
