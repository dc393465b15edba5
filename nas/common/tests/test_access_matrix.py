"""The access matrix: every URL of the project x every role (and anonymous) -> the status of a GET.

The URL patterns are found by walking the resolver, so a URL added without an entry here fails
`test_every_url_pattern_has_an_entry_in_the_matrix`. An entry is a list of cases (one URL each,
built from objects made in the test) with the expected status per persona. Refused reads of a
client (another office's, a restricted one) and of another organisation's submission are also
checked to be audited, raising one's own role to be refused and audited, and the administrator
(accounts and reference data) to open no page of a person's data.

Reading the statuses: 302 for anonymous visitors is the redirect to sign in; 302 in the admin
for a signed-in user is the admin's own redirect for users without staff status; 403 is a role
without the permission; 404 is an object the user may not see, indistinguishable from a
missing one; 405 is a GET on a POST-only view.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.accounts.services import ROLE_CHANGE_REFUSED
from nas.accounts.tests.test_access_admin import _change_url, _form, _groups
from nas.audit.models import AuditEvent
from nas.casework.models import ClientPeriod
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.common.tests import matrix
from nas.referrals.models import Organisation


def _app_entry_modules() -> list[Any]:
    """Import every app's `tests/access_entries*.py` (see nas/common/tests/matrix.py)."""
    base = Path(__file__).resolve().parents[2]
    return [
        importlib.import_module(f"nas.{path.parent.parent.name}.tests.{path.stem}")
        for path in sorted(base.glob("*/tests/access_entries*.py"))
    ]


APP_ENTRY_MODULES = _app_entry_modules()

ANONYMOUS = matrix.ANONYMOUS
WHO = matrix.WHO
CASEWORK = matrix.CASEWORK
status = matrix.status
SIGNED_IN = matrix.SIGNED_IN
EVERYONE = matrix.EVERYONE
AUDITOR_ONLY = matrix.AUDITOR_ONLY
CASEWORK_ONLY = matrix.CASEWORK_ONLY
admin_only = matrix.admin_only
Case = matrix.Case
case = matrix.case
named = matrix.named


# --- the admin: each registered model, with what the administrator role may do with it -------

# app_label.model -> the administrator's permissions (nas.accounts.services.role_permissions).
ADMIN_MODELS: dict[str, set[str]] = {
    "auth.group": {"view"},
    "axes.accessattempt": set(),
    "axes.accesslog": set(),
    "axes.accessfailurelog": set(),
    "otp_totp.totpdevice": set(),
    "otp_static.staticdevice": set(),
    "accounts.user": {"view", "add", "change"},
    **{
        label: {"view", "add", "change"}
        for label in (
            "common.office",
            "people.residencecategory",
            "people.permittype",
            "referrals.referrertype",
            "referrals.negativereason",
            "referrals.organisation",
            "casework.exploitationform",
            "casework.meansofcontrol",
            "casework.endreason",
            "casework.laboursector",
            "assistance.servicetype",
        )
    },
}


def _admin_object(label: str) -> Callable[[Any], Any]:
    return lambda o: o.admin_objects[label]


def _admin_entries() -> dict[str, list[Case]]:
    entries: dict[str, list[Case]] = {}
    for label, may in ADMIN_MODELS.items():
        app, model = label.split(".")
        prefix, obj = f"admin:{app}_{model}", _admin_object(label)

        def allowed(*needed: str, may: set[str] = may) -> int:
            return 200 if set(needed) & may else 403

        entries[f"{prefix}_changelist"] = case(
            named(f"{prefix}_changelist"), admin_only(allowed("view"))
        )
        entries[f"{prefix}_add"] = case(named(f"{prefix}_add"), admin_only(allowed("add")))
        entries[f"{prefix}_history"] = case(
            named(f"{prefix}_history", obj), admin_only(allowed("view", "change"))
        )
        entries[f"{prefix}_delete"] = case(
            named(f"{prefix}_delete", obj), admin_only(allowed("delete"))
        )
        entries[f"{prefix}_change"] = case(
            named(f"{prefix}_change", obj), admin_only(allowed("view", "change"))
        )

        # The old-style object URL redirects to the change page (for staff) or to sign in.
        def old_style(o: Any, label: str = label, app: str = app, model: str = model) -> str:
            return f"/admin/{app}/{model}/{o.admin_objects[label]}/"

        entries[f"admin/{app}/{model}/<path:object_id>/"] = case(
            old_style,
            admin_only(302),
        )
    return entries


def _user_id(name: str) -> Callable[[Any], Any]:
    return lambda o: o.users[name].pk


MATRIX: dict[str, list[Case]] = {
    **_admin_entries(),
    "admin:index": case(named("admin:index"), admin_only(200)),
    # Signed-in users without staff status see the admin's sign-in page; staff go to the index.
    # The admin has no sign-in of its own: everyone is sent to the one sign-in page.
    "admin:login": case(named("admin:login"), status(302)),
    "admin:logout": case(named("admin:logout"), admin_only(405)),
    "admin:password_change": case(named("admin:password_change"), admin_only(200)),
    "admin:password_change_done": case(named("admin:password_change_done"), admin_only(200)),
    # Without its query parameters the autocomplete refuses.
    "admin:autocomplete": case(named("admin:autocomplete"), admin_only(403)),
    "admin:jsi18n": case(named("admin:jsi18n"), admin_only(200)),
    # A user has no page on the site.
    "admin:view_on_site": case(
        lambda o: reverse("admin:view_on_site", args=[o.user_type.pk, o.users["outsider"].pk]),
        admin_only(404),
    ),
    "admin:app_list": case(named("admin:app_list", lambda o: "accounts"), admin_only(200)),
    "admin/(?P<url>.*)$": case(lambda o: "/admin/no-such-page/", admin_only(404)),
    "admin:auth_user_password_change": [
        *case(
            named("admin:auth_user_password_change", _user_id("caseworker_helsinki")),
            admin_only(200),
            "another user's password",
        ),
        *case(
            named("admin:auth_user_password_change", _user_id("root")),
            admin_only(403),
            "a superuser's password",
        ),
    ],
    # Nobody but a superuser manages authenticator devices.
    "admin:otp_totp_totpdevice_config": case(
        named("admin:otp_totp_totpdevice_config", _admin_object("otp_totp.totpdevice")),
        admin_only(403),
    ),
    "admin:otp_totp_totpdevice_qrcode": case(
        named("admin:otp_totp_totpdevice_qrcode", _admin_object("otp_totp.totpdevice")),
        admin_only(403),
    ),
    # --- the site ------------------------------------------------------------------------
    # The auditor's screens over the audit log (the queries themselves come as parameters).
    **{
        f"audit:{name}": case(named(f"audit:{name}"), AUDITOR_ONLY)
        for name in (
            "index",
            "person_access",
            "person_access_export",
            "user_activity",
            "user_activity_export",
            "subject_access",
        )
    },
    "set_language": case(named("set_language"), status(302)),
    "accounts:sign_in": case(named("accounts:sign_in"), EVERYONE),
    "accounts:sign_out": case(named("accounts:sign_out"), status(405)),
    "accounts:recovery_codes": case(named("accounts:recovery_codes"), SIGNED_IN),
    # Only reachable right after a password check in a set-up window; otherwise to sign-in.
    "accounts:two_factor_setup": case(named("accounts:two_factor_setup"), status(302)),
    # A referrer of an organisation is sent on to the referral portal.
    "home": case(named("home"), status(200, anonymous=302, referrer=302)),
    "client_detail": [
        *case(
            named("client_detail", lambda o: o.helsinki_client.pk),
            status(
                403,
                anonymous=302,
                caseworker_helsinki=200,
                caseworker_tampere=404,
                decision_maker=200,
            ),
            "a Helsinki client",
        ),
        *case(
            named("client_detail", lambda o: o.tampere_client.pk),
            status(
                403,
                anonymous=302,
                caseworker_helsinki=404,
                caseworker_tampere=200,
                decision_maker=404,
            ),
            "another office's client",
        ),
        *case(
            named("client_detail", lambda o: o.restricted_client.pk),
            status(403, anonymous=302, **dict.fromkeys(CASEWORK, 404)),
            "a restricted client assigned to someone else",
        ),
    ],
    "client_break_glass": [
        *case(
            named("client_break_glass", lambda o: o.restricted_client.pk),
            CASEWORK_ONLY,
            "a restricted client",
        ),
        *case(
            named("client_break_glass", lambda o: 10**9),
            status(403, anonymous=302, **dict.fromkeys(CASEWORK, 404)),
            "a missing client",
        ),
    ],
}

for _module in APP_ENTRY_MODULES:
    _overlap = set(_module.ENTRIES) & set(MATRIX)
    assert not _overlap, f"{_module.__name__} repeats entries: {sorted(_overlap)}"
    MATRIX.update(_module.ENTRIES)


# --- walking the resolver ----------------------------------------------------------------


def url_patterns() -> Iterator[str]:
    """Yield the key of every URL pattern: its qualified name, or its route when unnamed."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and ":".join(filter(None, [namespace, pattern.name]))
                yield name or route

    return walk(get_resolver().url_patterns, "", "")


def test_every_url_pattern_has_an_entry_in_the_matrix():
    found = set(url_patterns())
    assert found - set(MATRIX) == set(), "URL patterns without an entry in the access matrix"
    assert set(MATRIX) - found == set(), "entries of the matrix for URLs that no longer exist"


def test_the_admin_table_lists_every_registered_model():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


# --- the matrix itself -------------------------------------------------------------------


def make_objects() -> SimpleNamespace:
    """Make the users, signed-in clients and objects whose URLs the matrix visits."""
    users = {name: testing.make_persona(name) for name in testing.PERSONAS}
    # The administrator works in the admin, which needs staff status (as the demo account has).
    User.objects.filter(pk=users["administrator"].pk).update(is_staff=True)
    users["administrator"].refresh_from_db()
    users["root"] = testing.make_user("root", is_superuser=True, is_staff=True)
    other = testing.make_caseworker("helsinki", username="other_helsinki")
    restricted = testing.make_client(office_code="helsinki", caseworker=other)
    ClientPeriod.objects.filter(pk=restricted.pk).update(restricted=True)
    clients = {}
    for who in WHO:
        clients[who] = Client()
        if who != ANONYMOUS:
            sign_in_verified(clients[who], users[who])
    StaticDevice.objects.create(user=users["outsider"], name="backup")
    # Organisations are reference data kept in the admin: no service creates them.
    Organisation.objects.create(name="Helsinki police", referrer_type=testing.referrer_type())
    row = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        **row, path_info="/", get_data="", post_data="", failures_since_start=1
    )
    AccessLog.objects.create(**row, path_info="/")
    AccessFailureLog.objects.create(**row, path_info="/")
    objects = SimpleNamespace(
        users=users,
        clients=clients,
        helsinki_client=testing.make_client(office_code="helsinki"),
        tampere_client=testing.make_client(office_code="tampere"),
        restricted_client=restricted,
        user_type=ContentType.objects.get_for_model(User),
    )
    objects.admin_objects = {label: _first_pk(label, users) for label in ADMIN_MODELS}
    for module in APP_ENTRY_MODULES:
        add_objects = getattr(module, "add_objects", None)
        if add_objects is not None:
            add_objects(objects)
    return objects


@pytest.fixture
def objects(db):
    return make_objects()


def _first_pk(label: str, users: dict[str, User]) -> Any:
    if label == "accounts.user":
        return users["caseworker_helsinki"].pk
    if label == "otp_totp.totpdevice":
        return TOTPDevice.objects.get(user=users["caseworker_helsinki"]).pk
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None, f"the matrix needs a row of {label}"
    return pk


def test_every_url_answers_every_role_as_the_matrix_says(objects):
    wrong = []
    for key, cases in MATRIX.items():
        for item in cases:
            url = item.url(objects)
            for who in WHO:
                got = objects.clients[who].get(url).status_code
                if got != item.expected[who]:
                    wrong.append(
                        f"{key} {item.label} ({url}) as {who}: {got}, expected {item.expected[who]}"
                    )
    assert wrong == []


def test_refused_reads_of_a_client_are_audited(objects):
    refused = [
        ("caseworker_helsinki", objects.tampere_client),
        ("caseworker_helsinki", objects.restricted_client),
        ("decision_maker", objects.restricted_client),
        ("caseworker_tampere", objects.helsinki_client),
    ]
    for who, client in refused:
        response = objects.clients[who].get(reverse("client_detail", args=[client.pk]))
        assert response.status_code == 404
        event = testing.assert_audited("client.view_denied", objects.users[who], client)
        assert (event.kind, event.person_id) == ("read", client.person_id)
    assert not AuditEvent.objects.filter(action="client.view").exists()


def test_raising_ones_own_role_is_refused_and_audited(objects):
    administrator = objects.users["administrator"]
    data = _form(administrator, groups=_groups(Role.ADMINISTRATOR, Role.CASEWORKER))
    response = objects.clients["administrator"].post(_change_url(administrator), data)
    assert response.status_code == 200
    assert not administrator.has_role(Role.CASEWORKER)
    testing.assert_audited(ROLE_CHANGE_REFUSED, administrator, administrator)


# Outside the admin the administrator opens only these pages, none of which shows a person.
ADMINISTRATOR_PAGES = {
    "accounts:sign_in",
    "accounts:recovery_codes",
    "home",
    "api:schema",
    "api:docs",
    "api:reference",
    "portal:accept",
    "self_referral:form",
}


def test_the_administrator_opens_no_page_of_a_persons_data():
    opened = {
        key
        for key, cases in MATRIX.items()
        if not key.startswith("admin")
        for item in cases
        if item.expected["administrator"] == 200
    }
    assert opened == ADMINISTRATOR_PAGES


def test_walking_every_url_the_administrator_reads_no_persons_data(objects):
    administrator = objects.users["administrator"]
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    shown = []
    for cases in MATRIX.values():
        for item in cases:
            response = objects.clients["administrator"].get(item.url(objects))
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                shown.append(response.content.decode())
    page = "\n".join(shown)
    for client_period in (objects.helsinki_client, objects.tampere_client):
        person = client_period.person
        assert person.ref not in page
        assert person.family_name and person.family_name not in page
    reads = AuditEvent.objects.filter(seq__gt=before, actor=administrator, kind="read")
    assert [e.action for e in reads if not e.action.endswith("_denied")] == []


def test_reading_another_organisations_submission_is_refused_and_audited(objects):
    referrer, theirs = objects.users["referrer"], objects.portal_other_referral

    response = objects.clients["referrer"].get(reverse("portal:referral", args=[theirs.pk]))

    assert response.status_code == 404
    event = testing.assert_audited("portal.referral_denied", referrer, theirs)
    assert (event.kind, event.person_id) == ("read", theirs.person_id)
