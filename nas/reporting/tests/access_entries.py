"""Access-matrix entries of the statistics page, its files and publishing."""

from __future__ import annotations

from django.urls import reverse

from nas.common.tests.matrix import Case, Endpoint, case, named, status

# Statisticians and decision-makers view the published statistics; nobody else.
STATISTICS = status(403, anonymous=302, statistician=200, decision_maker=200)

ENTRIES: dict[str, list[Case]] = {
    "reporting:statistics": case(named("reporting:statistics"), STATISTICS),
    "reporting:download": case(
        lambda o: reverse("reporting:download") + "?kind=year&year=2024&format=csv", STATISTICS
    ),
    # Publishing is a POST of the statistician's; a GET is not allowed.
    "reporting:publish": case(
        named("reporting:publish"), status(403, anonymous=302, statistician=405)
    ),
}

# Malformed input (test_malformed_input): publishing a period, by the statistician.
FORM_ENDPOINTS: dict[str, Endpoint] = {
    "reporting:publish": Endpoint(
        "statistician",
        named("reporting:publish"),
        ("kind", "year", "half", "start", "end", "figures", "purpose"),
    ),
}
