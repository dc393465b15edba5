"""Access-matrix entries for the documents' URLs and the client search (see
nas/common/tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from nas.common.tests.matrix import (
    CASEWORK,
    CASEWORK_ONLY,
    Case,
    Endpoint,
    case,
    named,
    status,
)
from nas.documents.tests.factories import add_document


def add_objects(objects: Any) -> None:
    """A document of the Helsinki client and one of the Tampere client."""
    objects.helsinki_document = add_document(objects.helsinki_client)
    objects.tampere_document = add_document(
        objects.tampere_client, acting_user=objects.users["caseworker_tampere"]
    )


HELSINKI = status(
    403, anonymous=302, caseworker_helsinki=200, decision_maker=200, caseworker_tampere=404
)
TAMPERE = status(
    403, anonymous=302, caseworker_helsinki=404, decision_maker=404, caseworker_tampere=200
)
NOBODY = status(403, anonymous=302, **dict.fromkeys(CASEWORK, 404))

ENTRIES: dict[str, list[Case]] = {
    "documents:add": [
        *case(named("documents:add", lambda o: o.helsinki_client.pk), HELSINKI, "Helsinki"),
        *case(named("documents:add", lambda o: o.tampere_client.pk), TAMPERE, "Tampere"),
        *case(
            named("documents:add", lambda o: o.restricted_client.pk),
            NOBODY,
            "a restricted client assigned to someone else",
        ),
    ],
    "documents:download": [
        *case(named("documents:download", lambda o: o.helsinki_document.pk), HELSINKI),
        *case(named("documents:download", lambda o: o.tampere_document.pk), TAMPERE),
        *case(named("documents:download", lambda o: 10**9), NOBODY, "a missing document"),
    ],
    # The search lists only the clients the user may see (nas/casework/views_search.py).
    "client_search": case(named("client_search"), CASEWORK_ONLY),
}


# Malformed input (test_malformed_input): the upload form, posted without a real file.
FORM_ENDPOINTS: dict[str, Endpoint] = {
    "documents:add": Endpoint(
        "caseworker_helsinki",
        named("documents:add", lambda o: o.helsinki_client.pk),
        ("title", "kind", "file"),
    ),
}
