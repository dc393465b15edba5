"""The initial content of every reference list: code, English, Finnish and Swedish labels.

Loaded by data migrations; codes are those of INTERCHANGE.md and never change. To change a
list after it has shipped, write a new data migration rather than editing this file alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Row = tuple[str, str, str, str]

OFFICES: list[Row] = [
    ("lappeenranta", "Lappeenranta", "Lappeenranta", "Villmanstrand"),
    ("helsinki", "Helsinki", "Helsinki", "Helsingfors"),
    ("tampere", "Tampere", "Tampere", "Tammerfors"),
    ("oulu", "Oulu", "Oulu", "Uleåborg"),
]
INACTIVE_OFFICES = {"oulu"}

REFERRER_TYPES: list[Row] = [
    ("police", "Police", "Poliisi", "Polisen"),
    ("border_guard", "Border Guard", "Rajavartiolaitos", "Gränsbevakningsväsendet"),
    (
        "immigration_service",
        "Finnish Immigration Service",
        "Maahanmuuttovirasto",
        "Migrationsverket",
    ),
    ("reception_centre", "Reception centre", "Vastaanottokeskus", "Förläggning"),
    (
        "wellbeing_services_county",
        "Wellbeing services county",
        "Hyvinvointialue",
        "Välfärdsområde",
    ),
    ("te_office", "TE Office", "TE-toimisto", "TE-byrå"),
    ("ngo", "Non-governmental organisation", "Järjestö", "Organisation"),
    ("shelter", "Shelter", "Turvakoti", "Skyddshem"),
    ("solicitor", "Solicitor", "Lakimies", "Jurist"),
    ("self", "The person themself", "Henkilö itse", "Personen själv"),
    ("private_person", "Private person", "Yksityishenkilö", "Privatperson"),
    ("other_authority", "Other authority", "Muu viranomainen", "Annan myndighet"),
    ("other", "Other", "Muu", "Annan"),
]

NEGATIVE_REASONS: list[Row] = [
    (
        "not_trafficking",
        "Not a case of human trafficking",
        "Ei ihmiskauppaa",
        "Inte människohandel",
    ),
    (
        "no_need",
        "No need for the help the assistance system provides",
        "Ei auttamisjärjestelmän avun tarvetta",
        "Inget behov av hjälpsystemets hjälp",
    ),
    ("no_consent", "No consent", "Ei suostumusta", "Inget samtycke"),
    ("other", "Other", "Muu", "Annan"),
]

EXPLOITATION_FORMS: list[Row] = [
    ("forced_labour", "Forced labour", "Pakkotyö", "Tvångsarbete"),
    (
        "sexual_exploitation",
        "Sexual exploitation",
        "Seksuaalinen hyväksikäyttö",
        "Sexuellt utnyttjande",
    ),
    ("forced_marriage", "Forced marriage", "Pakkoavioliitto", "Tvångsäktenskap"),
    (
        "forced_criminality",
        "Exploitation in criminal activity",
        "Rikolliseen toimintaan hyväksikäyttö",
        "Utnyttjande i brottslig verksamhet",
    ),
    ("benefit_fraud", "Benefit fraud", "Etuuspetos", "Förmånsbedrägeri"),
    ("forced_begging", "Forced begging", "Pakotettu kerjääminen", "Tvångstiggeri"),
    (
        "degrading_conditions",
        "Conditions degrading to human dignity",
        "Ihmisarvoa loukkaavat olosuhteet",
        "Förhållanden som kränker människovärdet",
    ),
    ("organ_removal", "Removal of organs", "Elinten poisto", "Avlägsnande av organ"),
    ("other", "Other", "Muu", "Annan"),
]

# (code, en, fi, sv, ISIC section)
LABOUR_SECTORS: list[tuple[str, str, str, str, str]] = [
    (
        "wild_produce_picking",
        "Wild produce picking",
        "Luonnontuotteiden keruu",
        "Plockning av naturprodukter",
        "A",
    ),
    ("berry_farm", "Berry farms", "Marjatilat", "Bärgårdar", "A"),
    ("agriculture", "Agriculture", "Maatalous", "Jordbruk", "A"),
    ("horticulture", "Horticulture", "Puutarhatalous", "Trädgårdsodling", "A"),
    (
        "forestry",
        "Forestry and wood harvesting",
        "Metsätalous ja puunkorjuu",
        "Skogsbruk och virkesavverkning",
        "A",
    ),
    (
        "restaurant_catering",
        "Restaurant and catering",
        "Ravintola-ala",
        "Restaurangbranschen",
        "I",
    ),
    ("cleaning", "Cleaning", "Siivous", "Städning", "N"),
    ("construction", "Construction", "Rakentaminen", "Byggande", "F"),
    (
        "wellbeing_beauty",
        "Well-being and beauty",
        "Hyvinvointi- ja kauneudenhoitoala",
        "Välmående och skönhetsvård",
        "S",
    ),
    (
        "domestic_work",
        "Domestic work for a private person",
        "Kotityö yksityishenkilölle",
        "Hushållsarbete för en privatperson",
        "T",
    ),
    (
        "warehousing_removals",
        "Warehousing and removals",
        "Varastointi ja muutot",
        "Lager och flytt",
        "H",
    ),
    ("car_services", "Car services", "Autopalvelut", "Biltjänster", "G"),
    ("transport", "Transport", "Kuljetus", "Transport", "H"),
    ("other", "Other", "Muu", "Annan", ""),
    ("unknown", "Unknown", "Ei tiedossa", "Okänd", ""),
]

MEANS_OF_CONTROL: list[Row] = [
    ("debt_bondage", "Debt bondage", "Velkaorjuus", "Skuldslaveri"),
    ("takes_earnings", "Takes earnings", "Ottaa ansiot", "Tar inkomsterna"),
    (
        "restricts_financial_access",
        "Restricts access to money",
        "Rajoittaa rahankäyttöä",
        "Begränsar tillgången till pengar",
    ),
    ("threats", "Threats", "Uhkailu", "Hot"),
    (
        "psychological_abuse",
        "Psychological abuse",
        "Henkinen väkivalta",
        "Psykiskt våld",
    ),
    ("physical_abuse", "Physical abuse", "Fyysinen väkivalta", "Fysiskt våld"),
    ("sexual_abuse", "Sexual abuse", "Seksuaalinen väkivalta", "Sexuellt våld"),
    ("false_promises", "False promises", "Valheelliset lupaukset", "Falska löften"),
    (
        "psychoactive_substances",
        "Psychoactive substances",
        "Päihteet kontrollikeinona",
        "Psykoaktiva substanser",
    ),
    (
        "restricts_movement",
        "Restricts movement",
        "Liikkumisen rajoittaminen",
        "Begränsar rörelsefriheten",
    ),
    (
        "restricts_medical_care",
        "Restricts medical care",
        "Hoitoon pääsyn estäminen",
        "Begränsar tillgången till vård",
    ),
    (
        "excessive_working_hours",
        "Excessive working hours",
        "Kohtuuttomat työajat",
        "Orimliga arbetstider",
    ),
    ("uses_children", "Uses children", "Lapsilla painostaminen", "Använder barn"),
    (
        "threat_of_law_enforcement",
        "Threat of law enforcement",
        "Viranomaisilla uhkailu",
        "Hot om myndigheter",
    ),
    (
        "withholds_necessities",
        "Withholds necessities",
        "Välttämättömyyksien epääminen",
        "Undanhåller förnödenheter",
    ),
    (
        "withholds_documents",
        "Withholds documents",
        "Asiakirjojen haltuunotto",
        "Undanhåller dokument",
    ),
    ("other", "Other", "Muu", "Annat"),
]

RESIDENCE_CATEGORIES: list[Row] = [
    ("finnish_citizen", "Finnish citizen", "Suomen kansalainen", "Finsk medborgare"),
    ("eu_citizen", "EU/EEA citizen", "EU-/ETA-kansalainen", "EU-/EES-medborgare"),
    ("residence_permit", "Residence permit", "Oleskelulupa", "Uppehållstillstånd"),
    (
        "temporary_protection",
        "Temporary protection",
        "Tilapäinen suojelu",
        "Tillfälligt skydd",
    ),
    ("visa", "Visa", "Viisumi", "Visum"),
    ("asylum_seeker", "Asylum seeker", "Turvapaikanhakija", "Asylsökande"),
    (
        "no_right_of_residence",
        "No legal right of residence",
        "Ei laillista oleskeluoikeutta",
        "Ingen laglig rätt att vistas i landet",
    ),
    ("unknown", "Unknown", "Ei tiedossa", "Okänd"),
]

PERMIT_TYPES: list[Row] = [
    ("seasonal_work", "Seasonal work", "Kausityö", "Säsongsarbete"),
    ("work", "Work", "Työnteko", "Arbete"),
    ("family_ties", "Family ties", "Perheside", "Familjeband"),
    ("study", "Study", "Opiskelu", "Studier"),
    (
        "international_protection",
        "International protection",
        "Kansainvälinen suojelu",
        "Internationellt skydd",
    ),
    (
        "trafficking_victim",
        "Victim of trafficking",
        "Ihmiskaupan uhri",
        "Offer för människohandel",
    ),
    ("other", "Other", "Muu", "Annan"),
]

SERVICE_TYPES: list[Row] = [
    (
        "advice_guidance",
        "Advice and guidance",
        "Neuvonta ja ohjaus",
        "Rådgivning och handledning",
    ),
    ("social_services", "Social services", "Sosiaalipalvelut", "Socialservice"),
    ("health_care", "Health care", "Terveydenhuolto", "Hälso- och sjukvård"),
    (
        "psychological_care",
        "Psychological care",
        "Psykologinen tuki",
        "Psykologiskt stöd",
    ),
    (
        "reception_allowance",
        "Reception allowance",
        "Vastaanottoraha",
        "Mottagningspenning",
    ),
    ("social_assistance", "Social assistance", "Toimeentulotuki", "Utkomststöd"),
    ("safe_housing", "Safe housing", "Turvallinen majoitus", "Tryggt boende"),
    (
        "interpretation_translation",
        "Interpretation and translation",
        "Tulkkaus ja käännökset",
        "Tolkning och översättning",
    ),
    (
        "legal_aid",
        "Legal advice and aid",
        "Oikeudellinen neuvonta ja apu",
        "Juridisk rådgivning och hjälp",
    ),
    (
        "security_arrangements",
        "Security arrangements",
        "Turvajärjestelyt",
        "Säkerhetsarrangemang",
    ),
    ("support_person", "Support person", "Tukihenkilö", "Stödperson"),
    (
        "residence_permit_assistance",
        "Help with residence permits",
        "Apu oleskelulupa-asioissa",
        "Hjälp med uppehållstillstånd",
    ),
    (
        "assisted_voluntary_return",
        "Assisted voluntary return",
        "Avustettu vapaaehtoinen paluu",
        "Assisterat frivilligt återvändande",
    ),
]

END_REASONS: list[Row] = [
    (
        "no_need",
        "No longer in need of assistance",
        "Ei enää avun tarvetta",
        "Inget längre behov av hjälp",
    ),
    ("left_finland", "Left Finland", "Poistunut Suomesta", "Lämnat Finland"),
    (
        "assisted_return",
        "Left Finland with assisted voluntary return",
        "Avustettu vapaaehtoinen paluu",
        "Assisterat frivilligt återvändande",
    ),
    ("missing", "Missing", "Kadonnut", "Försvunnen"),
    (
        "client_request",
        "At the client's request",
        "Asiakkaan pyynnöstä",
        "På klientens begäran",
    ),
    (
        "not_victim_authority",
        "An authority concluded the person is not a victim",
        "Viranomainen katsoi, ettei henkilö ole ihmiskaupan uhri",
        "En myndighet bedömde att personen inte är offer",
    ),
    (
        "removed_from_country",
        "Removed from the country",
        "Poistettu maasta",
        "Avlägsnad ur landet",
    ),
    ("died", "Died", "Kuollut", "Avliden"),
    ("other", "Other", "Muu", "Annan"),
]


def load(
    apps: Any,
    model_label: str,
    rows: Sequence[tuple[str, ...]],
    inactive: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Create or update the rows of a reference list (used by data migrations)."""
    model = apps.get_model(model_label)
    for position, row in enumerate(rows):
        code, en, fi, sv, *extra = row
        defaults = {
            "label_en": en,
            "label_fi": fi,
            "label_sv": sv,
            "position": position,
            "active": code not in inactive,
        }
        if extra:
            defaults["isic_section"] = extra[0]
        model.objects.update_or_create(code=code, defaults=defaults)
