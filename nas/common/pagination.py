"""The rows of one page of a list: the page's keys first, then those rows with their joins.

A list page filters and orders a table (the open referrals of an office, the clients with a
name), then shows one page of it with columns of related rows (the person, the office, the
caseworker). Asked for the page in one query, the databases join the related rows to every
row that passes the filter and only then sort and cut the page: at 1,000,000 referrals on
PostgreSQL the dashboard's waiting referrals joined 4,646 of them to their persons to show
20. Read in two queries, the page's keys are sorted and cut without any join, and only the
rows of the page are joined (docs/benchmarks.md).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def rows_by_keys(queryset: QuerySet[Any], start: int, stop: int) -> list[Any]:
    """Return QUERYSET[START:STOP] as a list, read as the keys first and then their rows.

    The rows are those of QUERYSET itself (its joins, annotations and filters), in its order.
    """
    keys = list(queryset.values_list("pk", flat=True)[start:stop])
    if not keys:
        return []
    found = {row.pk: row for row in queryset.filter(pk__in=keys)}
    # A row deleted between the two queries is left out rather than shown half.
    return [found[key] for key in keys if key in found]


class KeysFirstPaginator(Paginator):
    """A Paginator of a queryset whose pages are read by `rows_by_keys`."""

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(rows_by_keys(self.object_list, bottom, top), number, self)
