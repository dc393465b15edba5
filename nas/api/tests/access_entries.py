"""Access-matrix entries for the API's URLs (see nas/common/tests/matrix.py).

The matrix signs the personas in with a session, not a token: to the API they are nobody.
The schema, its documentation and the reference lists are public (200 for everyone); every
other endpoint answers 401 without an organisation's token; unknown API URLs are 404.
"""

from __future__ import annotations

from django.urls import reverse

from nas.common.tests.matrix import EVERYONE, Case, case, named, status

NO_TOKEN = status(401)

ENTRIES: dict[str, list[Case]] = {
    "api:schema": case(named("api:schema"), EVERYONE),
    "api:docs": case(named("api:docs"), EVERYONE),
    "api:referrals": case(named("api:referrals"), NO_TOKEN),
    "api:referral": case(named("api:referral", lambda o: "NAS-2024-000001"), NO_TOKEN),
    "api:reference": [
        *case(named("api:reference", lambda o: "offices"), EVERYONE, "a list"),
        *case(named("api:reference", lambda o: "nothing"), status(404), "no such list"),
    ],
    "api:statistics_year": case(named("api:statistics_year", lambda o: "2024"), NO_TOKEN),
    "api:statistics_half_year": case(
        named("api:statistics_half_year", lambda o: "2024", lambda o: "h1"), NO_TOKEN
    ),
    "api:not_found": case(
        lambda o: reverse("api:not_found", kwargs={"path": "v1/nothing/"}), status(404)
    ),
}
