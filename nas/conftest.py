"""Fixtures shared by every app's tests: the personas and the reference rows."""

from __future__ import annotations

import pytest

from nas.common import testing

# --- personas (each in the group of its role) -----------------------------------------


@pytest.fixture
def caseworker_helsinki(db):
    return testing.make_caseworker("helsinki")


@pytest.fixture
def caseworker_tampere(db):
    return testing.make_caseworker("tampere")


@pytest.fixture
def caseworker(caseworker_helsinki):
    """The caseworker at Helsinki, where the helpers put referrals and clients."""
    return caseworker_helsinki


@pytest.fixture
def decision_maker(db):
    return testing.make_decision_maker("helsinki")


@pytest.fixture
def statistician(db):
    return testing.make_statistician()


@pytest.fixture
def auditor(db):
    return testing.make_auditor()


@pytest.fixture
def administrator(db):
    return testing.make_administrator()


@pytest.fixture
def referrer(db):
    return testing.make_referrer()


@pytest.fixture
def outsider(db):
    return testing.make_outsider()


@pytest.fixture
def persona(request, db):
    """A persona by name; parametrize with `@pytest.mark.parametrize("persona", PERSONAS,
    indirect=True)` to run a test once per persona."""
    return testing.make_persona(request.param)


# --- reference rows (loaded by the data migrations) -----------------------------------


@pytest.fixture
def helsinki(db):
    return testing.office("helsinki")


@pytest.fixture
def tampere(db):
    return testing.office("tampere")


@pytest.fixture
def lappeenranta(db):
    return testing.office("lappeenranta")


@pytest.fixture
def police(db):
    return testing.referrer_type("police")


@pytest.fixture
def end_reasons(db):
    """End reasons by code: `end_reasons["no_need"]`."""
    from nas.casework.models import EndReason

    return {item.code: item for item in EndReason.objects.all()}


@pytest.fixture
def negative_reasons(db):
    """Reasons for a negative decision by code: `negative_reasons["other"]`."""
    from nas.referrals.models import NegativeReason

    return {item.code: item for item in NegativeReason.objects.all()}


@pytest.fixture
def exploitation_forms(db):
    from nas.casework.models import ExploitationForm

    return {item.code: item for item in ExploitationForm.objects.all()}


@pytest.fixture
def labour_sectors(db):
    from nas.casework.models import LabourSector

    return {item.code: item for item in LabourSector.objects.all()}


@pytest.fixture
def residence_categories(db):
    from nas.people.models import ResidenceCategory

    return {item.code: item for item in ResidenceCategory.objects.all()}


@pytest.fixture
def permit_types(db):
    from nas.people.models import PermitType

    return {item.code: item for item in PermitType.objects.all()}


@pytest.fixture
def service_types(db):
    from nas.assistance.models import ServiceType

    return {item.code: item for item in ServiceType.objects.all()}


# --- state made through the services --------------------------------------------------


@pytest.fixture
def person(caseworker):
    """An adult person, recorded by the caseworker at Helsinki."""
    return testing.make_person(acting_user=caseworker)


@pytest.fixture
def referral(caseworker, decision_maker):
    """A referral received on 1 March 2024 at Helsinki, under assessment."""
    return testing.make_referral(acting_user=caseworker, assess=True, assigned_to=caseworker)


@pytest.fixture
def victim(caseworker, decision_maker):
    """An adult victim admitted on 15 March 2024 at Helsinki (referral of 1 March 2024).

    (Not called `client`: that is pytest-django's test HTTP client.)
    """
    return testing.make_client(caseworker=caseworker, decision_maker=decision_maker)
