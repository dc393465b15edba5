"""Hand-computed statistics of a small dataset against the JSON of INTERCHANGE.md section 3.

The dataset is made through the services, with dates in 2024, 2025 and early 2026; the
period is the year 2025. Every expected value below is counted by hand from the records
described in `small_dataset`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nas.casework.models import ClientPeriod
from nas.casework.services import assistance_end, reflection_period_grant
from nas.common import testing
from nas.common.dates import Period
from nas.referrals.services import admission_decide, referral_withdraw
from nas.reporting import figures
from nas.reporting.disclosure import exposed
from nas.reporting.keys import disclosed, equations, figure_values, statistics_json

D = dt.date
YEAR = Period.year(2025)


def admit(person, *, received, decided, referrer="police", client_type="victim"):
    """Receive a referral from REFERRER and admit PERSON on DECIDED."""
    referral = testing.make_referral(person, received=received, referrer=referrer, assess=True)
    testing.decide_positive(referral, date=decided, client_type=client_type)
    return ClientPeriod.objects.get(referral=referral)


def refuse_admission(*, received, decided, reason, referrer="police"):
    referral = testing.make_referral(received=received, referrer=referrer, assess=True)
    admission_decide(
        acting_user=testing.make_decision_maker(),
        referral=referral,
        date=decided,
        outcome="negative",
        negative_reason=testing.negative_reason(reason),
    )


def withdraw(*, received, withdrawn, referrer="police"):
    referral = testing.make_referral(received=received, referrer=referrer)
    referral_withdraw(acting_user=testing.make_decision_maker(), referral=referral, date=withdrawn)


def end(client, date, reason):
    assistance_end(
        acting_user=testing.make_decision_maker(),
        client=client,
        date=date,
        reason=testing.end_reason(reason),
    )


def reflection(client, granted, end, by="nas"):
    reflection_period_grant(
        acting_user=testing.make_decision_maker(),
        client=client,
        granted=granted,
        start=granted,
        end=end,
        granted_by=by,
    )


def person(**fields):
    code = fields.pop("nationality", "NP")
    return testing.make_person(nationalities=[code], primary_nationality=code, **fields)


@pytest.fixture
def small_dataset(db):
    """Ten referrals received in 2025, six in 2024; eleven client periods.

    Victims admitted in 2025 (the new victims):
      A  female, born 1990-05-17 (34 at admission), NP; referral 2024-11-10 (police),
         admitted 2025-01-10 (61 days). Forced labour (primary, Finland, berry farm) and
         sexual exploitation (abroad). Residence permit for seasonal work from the admission
         day; no right of residence from 2025-06-01; reflection period granted by the
         police on 2025-06-10.
      B  male, born 2000-01-01 (25), NP; referral 2025-02-01 (immigration service), admitted
         2025-02-11 (10 days). Forced labour (primary, Finland, construction) and forced
         criminality (Finland and abroad). Asylum seeker from 2025-02-01, a work permit from
         2025-03-01: on the admission day an asylum seeker.
      C  female, born in 2007 (birthday taken as 1 July: 17 at admission, 18 on 31 Dec),
         FI; referral 2025-03-01 (self), admitted 2025-03-31 (30 days). Sexual
         exploitation (Finland). Finnish citizen.
      D  male, no date of birth, assessed adult, stateless; referral 2025-04-01 (reception
         centre), admitted 2025-04-21 (20 days). Forced marriage (abroad). A child admitted
         with him on 2025-05-01.
      J  female, born 1960-01-01 (65), nationality unknown; referral 2025-09-01 (border
         guard), admitted 2025-09-11 (10 days). Benefit fraud (Finland and abroad). No right
         of residence only from 2025-10-01 (after admission: unknown on the admission day);
         reflection period granted by the assistance system on 2025-10-05.
    Others:
      E  witness, referral 2025-05-01 (self), admitted 2025-05-06 (5 days), ended
         2025-11-30 (no need).
      F  victim admitted 2024-03-15, female, assessed minor, SO; forced begging (Finland);
         reflection period granted in 2024. Still a client on 31 Dec 2025.
      G  victim admitted 2024-05-10 with a child; ended 2025-09-30 (left Finland), the
         child with her.
      H  victim admitted 2024-06-10, ended 2024-12-31.
      I  referral 2025-12-01 (self), admitted only on 2026-01-15: pending at the end of 2025.
    Referrals without a client: refused 2025-06-11 (received 2025-06-01, police, no need),
    refused 2025-07-31 (received 2025-07-01, immigration service, not trafficking), refused
    2025-01-05 (received 2024-12-01, NGO, no need; 35 days), withdrawn 2025-08-15 (received
    2025-08-01, NGO), received 2025-12-20 (police) and withdrawn only on 2026-01-05 (pending
    at the end of 2025), received 2024-02-01 (police) and withdrawn 2024-03-01.
    """
    # --- 2024 -------------------------------------------------------------------------
    withdraw(received=D(2024, 2, 1), withdrawn=D(2024, 3, 1))
    f = admit(
        person(age_assessment="minor", nationality="SO"),
        received=D(2024, 3, 1),
        decided=D(2024, 3, 15),
    )
    testing.add_exploitation(f, form="forced_begging", place="finland")
    testing.add_residence(f, "no_right_of_residence")
    reflection(f, D(2024, 3, 20), D(2024, 5, 20))
    g = admit(person(), received=D(2024, 5, 1), decided=D(2024, 5, 10), referrer="self")
    testing.make_child(g)
    h = admit(person(), received=D(2024, 6, 1), decided=D(2024, 6, 10))
    end(h, D(2024, 12, 31), "no_need")
    a_referral_received = D(2024, 11, 10)
    refuse_admission(
        received=D(2024, 12, 1), decided=D(2025, 1, 5), reason="no_need", referrer="ngo"
    )
    # --- 2025 -------------------------------------------------------------------------
    a = admit(person(), received=a_referral_received, decided=D(2025, 1, 10))
    testing.add_exploitation(
        a, form="forced_labour", place="finland", sector=testing.labour_sector("berry_farm")
    )
    testing.add_exploitation(
        a, form="sexual_exploitation", is_primary=False, place="abroad", country="SE"
    )
    testing.add_residence(a, "residence_permit", permit="seasonal_work")
    testing.add_residence(a, "no_right_of_residence", valid_from=D(2025, 6, 1))
    reflection(a, D(2025, 6, 10), D(2025, 9, 10), by="police")

    b = admit(
        person(gender="male", date_of_birth=D(2000, 1, 1)),
        received=D(2025, 2, 1),
        decided=D(2025, 2, 11),
        referrer="immigration_service",
    )
    testing.add_exploitation(
        b, form="forced_labour", place="finland", sector=testing.labour_sector("construction")
    )
    testing.add_exploitation(
        b, form="forced_criminality", is_primary=False, place="finland_and_abroad"
    )
    testing.add_residence(b, "asylum_seeker", valid_from=D(2025, 2, 1))
    testing.add_residence(b, "residence_permit", valid_from=D(2025, 3, 1), permit="work")

    c = admit(
        person(birth_year=2007, nationality="FI"),
        received=D(2025, 3, 1),
        decided=D(2025, 3, 31),
        referrer="self",
    )
    testing.add_exploitation(c, form="sexual_exploitation", place="finland")
    testing.add_residence(c, "finnish_citizen")

    d = admit(
        person(gender="male", age_assessment="adult", nationality="stateless"),
        received=D(2025, 4, 1),
        decided=D(2025, 4, 21),
        referrer="reception_centre",
    )
    testing.add_exploitation(d, form="forced_marriage", place="abroad", country="SE")
    testing.make_child(d, admitted=D(2025, 5, 1))

    e = admit(
        person(),
        received=D(2025, 5, 1),
        decided=D(2025, 5, 6),
        referrer="self",
        client_type="witness",
    )
    refuse_admission(received=D(2025, 6, 1), decided=D(2025, 6, 11), reason="no_need")
    refuse_admission(
        received=D(2025, 7, 1),
        decided=D(2025, 7, 31),
        reason="not_trafficking",
        referrer="immigration_service",
    )
    withdraw(received=D(2025, 8, 1), withdrawn=D(2025, 8, 15), referrer="ngo")

    j = admit(
        person(date_of_birth=D(1960, 1, 1), nationality="unknown"),
        received=D(2025, 9, 1),
        decided=D(2025, 9, 11),
        referrer="border_guard",
    )
    testing.add_exploitation(j, form="benefit_fraud", place="finland_and_abroad")
    testing.add_residence(j, "no_right_of_residence", valid_from=D(2025, 10, 1))
    reflection(j, D(2025, 10, 5), D(2025, 12, 31))

    end(g, D(2025, 9, 30), "left_finland")
    end(e, D(2025, 11, 30), "no_need")
    # --- pending at the end of 2025 -----------------------------------------------------
    i = admit(person(), received=D(2025, 12, 1), decided=D(2026, 1, 15), referrer="self")
    withdraw(received=D(2025, 12, 20), withdrawn=D(2026, 1, 5))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h, "i": i, "j": j}


EXPECTED_2025 = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "internal": True,
    # Received in 2025: B, C, D, E, J, I, two refused, two withdrawn (the second in 2026).
    "referrals.total": 10,
    "referrals.by_referrer_type.border_guard": 1,  # J
    "referrals.by_referrer_type.immigration_service": 2,  # B, refused (not trafficking)
    "referrals.by_referrer_type.ngo": 1,  # withdrawn 2025-08-15
    "referrals.by_referrer_type.police": 2,  # refused (no need), withdrawn in 2026
    "referrals.by_referrer_type.reception_centre": 1,  # D
    "referrals.by_referrer_type.self": 3,  # C, E, I
    # Received in 2024: the one withdrawn in 2024, F, G, H, A's, the NGO's refused in 2025.
    "referrals.previous_period_total": 6,
    # Dated in 2025: A, B, C, D, E (witness), J positive; three negative (one of 2024's).
    "decisions.positive": 6,
    "decisions.negative": 3,
    "decisions.negative_by_reason.no_need": 2,
    "decisions.negative_by_reason.not_trafficking": 1,
    # I (decided only in 2026) and the referral withdrawn only in 2026.
    "decisions.pending_at_end": 2,
    # Days: 5, 10, 10, 10, 20, 30, 30, 35, 61: position ceil(4.5) = 5 -> 20; ceil(8.1) = 9.
    "decisions.median_days": 20,
    "decisions.p90_days": 61,
    # Ended in 2025: G (left Finland) and the witness E (no need); G's child not counted.
    "ended.total": 2,
    "ended.by_reason.left_finland": 1,
    "ended.by_reason.no_need": 1,
    "new_clients.victims": 5,  # A, B, C, D, J
    "new_clients.witnesses": 1,  # E
    "new_clients.children": 1,  # D's child (G's child was admitted in 2024)
    "new_clients.by_gender.female": 3,  # A, C, J
    "new_clients.by_gender.male": 2,  # B, D
    "new_clients.minors": 1,  # C: 17 at admission (born 2007, birthday 1 July)
    "new_clients.by_age_band.under_18": 1,  # C
    "new_clients.by_age_band.18_29": 1,  # B, 25
    "new_clients.by_age_band.30_39": 1,  # A, 34
    "new_clients.by_age_band.40_49": 0,
    "new_clients.by_age_band.50_59": 0,
    "new_clients.by_age_band.60_plus": 1,  # J, 65
    "new_clients.by_age_band.adult_unknown_age": 1,  # D, assessed adult
    "new_clients.by_age_band.unknown": 0,
    "new_clients.nationalities": 3,  # NP, FI, stateless (unknown not counted)
    "new_clients.by_nationality.FI": 1,
    "new_clients.by_nationality.NP": 2,
    "new_clients.by_nationality.stateless": 1,
    "new_clients.by_nationality.unknown": 1,
    "new_clients.exploited_in_finland": 4,  # A, B, C, J
    "new_clients.exploited_abroad_only": 1,  # D
    # A 2, B 2, C 1, D 1, J 1.
    "exploitation.forms": 7,
    "exploitation.by_form.benefit_fraud": 1,
    "exploitation.by_form.forced_criminality": 1,
    "exploitation.by_form.forced_labour": 2,
    "exploitation.by_form.forced_marriage": 1,
    "exploitation.by_form.sexual_exploitation": 2,
    "exploitation.by_form_gender.benefit_fraud.female": 1,  # J
    "exploitation.by_form_gender.forced_criminality.male": 1,  # B
    "exploitation.by_form_gender.forced_labour.female": 1,  # A
    "exploitation.by_form_gender.forced_labour.male": 1,  # B
    "exploitation.by_form_gender.forced_marriage.male": 1,  # D
    "exploitation.by_form_gender.sexual_exploitation.female": 2,  # A (abroad), C
    "exploitation.primary_by_form.benefit_fraud": 1,
    "exploitation.primary_by_form.forced_labour": 2,
    "exploitation.primary_by_form.forced_marriage": 1,
    "exploitation.primary_by_form.sexual_exploitation": 1,
    "finland.persons": 4,  # A, B, C, J
    "finland.by_gender.female": 3,
    "finland.by_gender.male": 1,
    "finland.nationalities": 2,  # NP, FI
    "finland.by_nationality.FI": 1,
    "finland.by_nationality.NP": 2,
    "finland.by_nationality.unknown": 1,
    # In Finland: A's forced labour (not her exploitation abroad), B's two, C's, J's.
    "finland.forms": 5,
    "finland.persons_multiple_forms": 1,  # B
    "finland.by_form.benefit_fraud": 1,
    "finland.by_form.forced_criminality": 1,
    "finland.by_form.forced_labour": 2,
    "finland.by_form.sexual_exploitation": 1,
    "finland.forced_labour_by_sector.berry_farm": 1,
    "finland.forced_labour_by_sector.construction": 1,
    # On the admission day: A a permit, B an asylum seeker, C Finnish, J nothing yet.
    "finland.by_residence.asylum_seeker": 1,
    "finland.by_residence.finnish_citizen": 1,
    "finland.by_residence.residence_permit": 1,
    "finland.by_residence.unknown": 1,
    "finland.by_permit_type.seasonal_work": 1,
    "finland.by_referrer_type.border_guard": 1,  # J
    "finland.by_referrer_type.immigration_service": 1,  # B
    "finland.by_referrer_type.police": 1,  # A (referred in 2024)
    "finland.by_referrer_type.self": 1,  # C
    "reflection_periods.granted": 2,  # A (police), J (the assistance system)
    "reflection_periods.granted_by.nas": 1,
    "reflection_periods.granted_by.police": 1,
    # On 31 Dec 2025: A, B, C, D, J, F and D's child; not E, G, G's child, H, I.
    "stock.victims": 6,
    "stock.witnesses": 0,
    "stock.children": 1,
    "stock.total": 7,
    "stock.minor_victims": 1,  # F (assessed minor); C turned 18 on 1 July
    "stock.admitted_as_minors": 2,  # C, F
    "stock.by_gender.female": 4,  # A, C, J, F
    "stock.by_gender.male": 2,  # B, D
    "stock.by_nationality.FI": 1,
    "stock.by_nationality.NP": 2,
    "stock.by_nationality.SO": 1,
    "stock.by_nationality.stateless": 1,
    "stock.by_nationality.unknown": 1,
    "stock.nationalities": 4,  # NP, FI, SO, stateless
    "stock.by_form.benefit_fraud": 1,
    "stock.by_form.forced_begging": 1,
    "stock.by_form.forced_criminality": 1,
    "stock.by_form.forced_labour": 2,
    "stock.by_form.forced_marriage": 1,
    "stock.by_form.sexual_exploitation": 2,
    "suppressed": [],
}


def test_the_internal_statistics_of_2025_are_those_counted_by_hand(small_dataset):
    assert statistics_json(YEAR, internal=True) == EXPECTED_2025


def test_the_figures_beyond_the_keys_are_those_counted_by_hand(small_dataset):
    assert figures.decisions(YEAR).by_referrer_type == {
        "border_guard": {"positive": 1},
        "immigration_service": {"negative": 1, "positive": 1},
        "ngo": {"negative": 1},
        "police": {"negative": 1, "positive": 1},
        "reception_centre": {"positive": 1},
        "self": {"positive": 2},
    }
    assert figures.timeliness(YEAR).oldest_pending_days == [30, 11]
    where = figures.exploited_where(YEAR)
    assert (where.finns_in_finland, where.finns_abroad_only) == (1, 0)
    assert figures.exploitation_in_finland(YEAR).multiple_forms_by_gender == {"male": 1}
    assert figures.reflection_periods(YEAR).by_length_months == {"3": 2}
    assert figures.referrals_by_year(2023, 2026) == {2023: 0, 2024: 6, 2025: 10, 2026: 0}


def test_the_first_half_year_is_counted_on_its_own(small_dataset):
    half = statistics_json(Period.half_year(2025, 1), internal=True)

    # Received Jan-Jun 2025: B, C, D, E, the refused of June.
    assert half["referrals.total"] == 5
    # Decided Jan-Jun: A, B, C, D, E positive; the NGO's and June's refusals.
    assert (half["decisions.positive"], half["decisions.negative"]) == (5, 2)
    # On 30 June: the July refusal's referral is not yet received; nothing else pending.
    assert half["decisions.pending_at_end"] == 0
    # On 30 June: A, B, C, D, F, G victims, E, D's and G's children.
    assert (half["stock.victims"], half["stock.witnesses"], half["stock.children"]) == (6, 1, 2)
    # C is 17 on 30 June 2025 (18 on 1 July); F is an assessed minor.
    assert half["stock.minor_victims"] == 2


def test_published_statistics_withhold_small_counts_and_say_which(small_dataset, settings):
    settings.NAS_DISCLOSURE_THRESHOLD = 2  # withhold the ones
    published = statistics_json(YEAR, internal=False)
    internal = figure_values(YEAR)

    assert "internal" not in published
    withheld = set(published["suppressed"])
    assert {key for key, value in published.items() if value is None} == withheld
    for key, value in internal.items():
        if key in published and key not in withheld:
            assert published[key] == value, key
        if value == 1 and key in published and not key.endswith("nationalities"):
            assert key in withheld, key
    # Nationalities of one person fold into "other" (FI, stateless, unknown: 3 persons).
    assert published["new_clients.by_nationality.other"] == 3
    assert "new_clients.by_nationality.FI" not in published
    # The five new victims are in five age bands, a 1 each: with their total published the
    # five withheld ones would add up to it and give themselves away, so the total goes.
    assert published["new_clients.victims"] is None
    # ...and with it NP's 2, which the total less "other" would give away.
    assert published["new_clients.by_nationality.NP"] is None
    # Positive decisions less new victims would give away the one witness.
    assert published["decisions.positive"] is None
    # 10 referrals: police 2 and self 3 stay; three ones and immigration's 2 are withheld,
    # since a remainder of 3 for three withheld cells would make them all ones.
    assert published["referrals.total"] == 10
    assert (
        published["referrals.by_referrer_type.police"],
        published["referrals.by_referrer_type.self"],
    ) == (2, 3)
    assert published["referrals.by_referrer_type.immigration_service"] is None
    # Timeliness of nine decisions stays; the number of nationalities is no count of people.
    assert published["decisions.median_days"] == 20
    assert published["new_clients.nationalities"] == 3
    _assert_nothing_given_away(published)


def test_at_the_default_threshold_little_of_so_small_a_year_is_published(small_dataset):
    published = statistics_json(YEAR, internal=False)

    assert published["referrals.total"] == 10
    assert published["referrals.by_referrer_type.self"] is None
    assert published["decisions.negative"] is None
    # Every nationality has fewer than 5 new victims: all of them are "other".
    assert [key for key in published if key.startswith("new_clients.by_nationality.")] == [
        "new_clients.by_nationality.other"
    ]
    # 6 victims and 1 child on the last day: the child is withheld, the total stays, so the
    # victims go with the child.
    assert (published["stock.total"], published["stock.victims"]) == (7, None)
    assert published["stock.children"] is None
    _assert_nothing_given_away(published)


def _assert_nothing_given_away(published):
    """No equation of the keys has exactly one withheld member, and no bound pins one down."""
    threshold = settings_threshold()
    values, withheld = disclosed(figure_values(YEAR), threshold)
    assert published["suppressed"] == sorted(withheld)
    for equation in equations(values):
        if not equation.holds(values):
            continue
        hidden = [key for key in equation.members() if key in withheld]
        assert len(hidden) != 1, f"{hidden} follows from {equation}"
    assert exposed(values, equations(values), withheld) == set()


def settings_threshold():
    from django.conf import settings

    return settings.NAS_DISCLOSURE_THRESHOLD
