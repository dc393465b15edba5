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
from django.db.models import Count, QuerySet, Window


def _rows_of(queryset: QuerySet[Any], keys: list[Any]) -> list[Any]:
    """The rows of QUERYSET with KEYS, in the order of KEYS.

    The keys were read through QUERYSET's filters, so its rows are looked up by key alone,
    with its joins, annotations and prefetches but neither its filters nor its order (KEYS
    give it). Filtered again, SQLite walked the 7,129 persons of a family name to find a
    search's 50 clients (8 ms at 1,000,000 referrals, docs/benchmarks.md). A row changed
    between the two queries is shown as it is now, as it would have been a moment earlier.
    """
    if not keys:
        return []
    rows = queryset.all()
    rows.query.clear_where()
    rows.query.clear_ordering(force=True)
    found = {row.pk: row for row in rows.filter(pk__in=keys)}
    # A row deleted between the two queries is left out rather than shown half.
    return [found[key] for key in keys if key in found]


def rows_by_keys(queryset: QuerySet[Any], start: int, stop: int) -> list[Any]:
    """Return QUERYSET[START:STOP] as a list, read as the keys first and then their rows.

    The rows are those of QUERYSET itself (its joins, annotations and filters), in its order.
    """
    return _rows_of(queryset, list(queryset.values_list("pk", flat=True)[start:stop]))


def counted_first_rows(queryset: QuerySet[Any], rows: int) -> tuple[int, list[Any]]:
    """Return the number of rows of QUERYSET and its first ROWS rows (as `rows_by_keys`),
    the number counted over all the rows by a window in the keys' query.

    Instead of a COUNT query of its own, which filters the same rows again: the dashboard's
    four lists, median 91-102 -> 68-82 ms on PostgreSQL and 59-90 -> 41-61 ms on SQLite at
    1,000,000 referrals (runs of 60 requests). Only for short lists whose rows are all read
    anyway: the database can no longer stop at the slice's last row (KeysFirstPaginator).
    QUERYSET must not be grouped (a window would count the groups).
    """
    pairs = list(queryset.annotate(_rows=Window(Count("pk"))).values_list("pk", "_rows")[:rows])
    if not pairs:
        return 0, []
    return pairs[0][1], _rows_of(queryset, [key for key, _rows in pairs])


class KeysFirstPaginator(Paginator):
    """A Paginator of a queryset whose pages are read by `rows_by_keys`.

    Its count is a query of its own: read with the keys by a window (`counted_first_rows`), the
    databases could no longer stop at the page's last row, and the client search took 126 ->
    1,307 ms on PostgreSQL at 1,000,000 referrals, the inbox 47 -> 67 ms on SQLite.
    """

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(rows_by_keys(self.object_list, bottom, top), number, self)
