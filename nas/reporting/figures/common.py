"""Helpers shared by the figure functions: period filters and grouped counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

UNKNOWN = "unknown"


def _key(value: Any) -> str:
    """The key of a grouped value: a NULL or empty value counts as unknown."""
    return UNKNOWN if value is None or value == "" else str(value)


def grouped_rows(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    """Return (value of each of FIELDS..., rows) for each combination, in one GROUP BY query.

    For several breakdowns of the same records: each is then a `marginal` of these rows, and
    the records are read once instead of once per breakdown.
    """
    return list(queryset.order_by().values_list(*fields).annotate(n=Count("pk")))


def marginal(rows: list[tuple[Any, ...]], index: int) -> dict[str, int]:
    """Return {value at INDEX: rows} summed over ROWS of `grouped_rows`."""
    counts: dict[str, int] = {}
    for row in rows:
        key = _key(row[index])
        counts[key] = counts.get(key, 0) + row[-1]
    return dict(sorted(counts.items()))


def nested_marginal(
    rows: list[tuple[Any, ...]], outer: int, inner: int
) -> dict[str, dict[str, int]]:
    """Return {value at OUTER: {value at INNER: rows}} summed over ROWS of `grouped_rows`."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        cell = counts.setdefault(_key(row[outer]), {})
        key = _key(row[inner])
        cell[key] = cell.get(key, 0) + row[-1]
    return {key: dict(sorted(value.items())) for key, value in sorted(counts.items())}


def grouped_counts(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    """Return {value of FIELD: rows} in one GROUP BY query; a NULL value counts as unknown."""
    return marginal(grouped_rows(queryset, field), 0)


def nested_counts(queryset: QuerySet[Any], outer: str, inner: str) -> dict[str, dict[str, int]]:
    """Return {OUTER value: {INNER value: rows}} in one GROUP BY query (NULL as "unknown")."""
    return nested_marginal(grouped_rows(queryset, outer, inner), 0, 1)


def distinct_nationalities(by_nationality: dict[str, int]) -> int:
    """Return the number of nationalities: `unknown` is not one, `stateless` is."""
    return sum(1 for code, n in by_nationality.items() if n and code != UNKNOWN)
