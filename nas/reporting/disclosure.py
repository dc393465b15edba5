"""Disclosure control: small counts identify people, so published tables withhold them.

The rule (threshold k, the setting NAS_DISCLOSURE_THRESHOLD):

- nationalities with fewer than k persons fold into one `other` cell, as the publications do;
- every other count under k but above zero is withheld (*primary* suppression) and shown as
  "<k" (a reader knows it is between 1 and k - 1);
- further cells are withheld so that no withheld value can be worked out from the totals
  (*secondary* suppression). The published figures are tied by equations - a total equals
  the sum of its cells (new victims = the sum of new victims by gender) - and an equation
  with exactly one withheld member gives that member away. So while some equation has
  exactly one withheld member, the smallest published non-zero cell of it is withheld too
  (its total when no cell is left), shown as "..". A reader also knows that a withheld
  count is at least one (zeros are never withheld) and a "<k" one at most k - 1, which with
  several equations can still pin a value down (a remainder of two shared by two withheld
  cells makes both ones; a total "<5" of four "<5" cells makes them all ones): the bounds a
  reader can work out are computed (`bounds`). While one withheld value is pinned down
  (each shown as ".."), one more cell of its equation is withheld; then while a "<k" would
  let one be pinned down, a "<k" of its equation is shown as ".." instead (which tells only
  "at least one").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OTHER = "other"


@dataclass(frozen=True)
class Equation:
    """TOTAL equals the sum of CELLS, e.g. new victims and new victims by gender."""

    total: str
    cells: tuple[str, ...]
    # Members to withhold first when the equation needs one more (e.g. a figure that matters
    # less than the cells that would otherwise go).
    prefer: tuple[str, ...] = ()

    def members(self) -> tuple[str, ...]:
        return (self.total, *self.cells)

    def holds(self, values: Mapping[str, int]) -> bool:
        """Whether the equation is true of VALUES (a key that is absent counts as zero)."""
        return values.get(self.total, 0) == sum(values.get(cell, 0) for cell in self.cells)


def fold_small(counts: Mapping[str, int], threshold: int) -> dict[str, int]:
    """Return COUNTS with the codes under THRESHOLD folded into one `other` count."""
    kept = {code: n for code, n in counts.items() if n >= threshold}
    folded = sum(n for code, n in counts.items() if 0 < n < threshold)
    if folded:
        kept[OTHER] = folded
    return kept


def primary(values: Mapping[str, int], threshold: int, exempt: Iterable[str] = ()) -> set[str]:
    """Return the keys whose count is under THRESHOLD but above zero (EXEMPT aside)."""
    skip = set(exempt)
    return {key for key, n in values.items() if key not in skip and 0 < n < threshold}


def _gives_away(equation: Equation, values: Mapping[str, int], withheld: set[str]) -> bool:
    """Whether EQUATION has exactly one withheld member: the others give it away."""
    return sum(1 for key in equation.members() if key in values and key in withheld) == 1


def _next_to_withhold(
    equation: Equation, values: Mapping[str, int], withheld: set[str]
) -> str | None:
    """Return the member of EQUATION to withhold next: a preferred one, else the smallest
    published non-zero cell, else its total."""
    for key in equation.prefer:
        if values.get(key, 0) > 0 and key not in withheld:
            return key
    candidates = sorted(
        (values[key], key)
        for key in equation.cells
        if key in values and key not in withheld and values[key] > 0
    )
    if candidates:
        return candidates[0][1]
    if values.get(equation.total, 0) > 0 and equation.total not in withheld:
        return equation.total
    return None


def bounds(
    values: Mapping[str, int],
    equations: Iterable[Equation],
    withheld: set[str],
    small: Iterable[str] = (),
    threshold: int = 0,
) -> dict[str, tuple[float, float]]:
    """Return what the published figures tell of each withheld one: (lowest, highest).

    A reader knows every withheld count is at least one, that a SMALL one (shown "<k", k
    the THRESHOLD) is at most k - 1, and that each equation holds; the bounds are narrowed
    through the equations until they settle (interval propagation).
    """
    shown_small = set(small)
    known: dict[str, tuple[float, float]] = {
        key: (1, threshold - 1) if key in shown_small else (1, math.inf) for key in withheld
    }

    def get(key: str) -> tuple[float, float]:
        if key in known:
            return known[key]
        value = values.get(key, 0)
        return (value, value)

    equations = list(equations)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            members = equation.members()
            for index, key in enumerate(members):
                if key not in known:
                    continue
                others = [get(other) for other in members[:index] + members[index + 1 :]]
                narrowed = _narrow(index == 0, get(key), others)
                if narrowed != known[key]:
                    known[key], changed = narrowed, True
    return known


def _narrow(
    is_total: bool, current: tuple[float, float], others: list[tuple[float, float]]
) -> tuple[float, float]:
    """Narrow a member's bounds: a total is the sum of its cells; a cell, total less the rest."""
    low, high = current
    if is_total:
        low = max(low, sum(lo for lo, _ in others))
        high = min(high, sum(hi for _, hi in others))
    else:
        (total_low, total_high), cells = others[0], others[1:]
        low = max(low, total_low - sum(hi for _, hi in cells))
        high = min(high, total_high - sum(lo for lo, _ in cells))
    return (low, high)


def exposed(
    values: Mapping[str, int],
    equations: Iterable[Equation],
    withheld: set[str],
    small: Iterable[str] = (),
    threshold: int = 0,
) -> set[str]:
    """Return the withheld keys whose value the published figures determine."""
    known = bounds(values, equations, withheld, small, threshold)
    return {key for key, (low, high) in known.items() if low >= high}


@dataclass(frozen=True)
class Suppression:
    """The keys withheld, and those of them shown as "<k" (the others are shown as "..")."""

    withheld: frozenset[str]
    small: frozenset[str]


def _one_more(
    values: Mapping[str, int], equations: list[Equation], withheld: set[str]
) -> str | None:
    """Return a key to withhold that protects a withheld one now given away, if any."""
    for key in sorted(exposed(values, equations, withheld)):
        for equation in equations:
            if key in equation.members():
                candidate = _next_to_withhold(equation, values, withheld)
                if candidate is not None:
                    return candidate
    return None


def _to_unmark(equations: list[Equation], given_away: set[str], small: set[str]) -> str | None:
    """Return the "<k" to show as ".." instead, that protects a value GIVEN_AWAY: the total
    of its equation (which bounds the most), else the value itself, else another member."""
    for key in sorted(given_away):
        related = [equation for equation in equations if key in equation.members()]
        for candidate in (
            *(equation.total for equation in related),
            key,
            *(member for equation in related for member in sorted(equation.cells)),
        ):
            if candidate in small:
                return candidate
    return min(small, default=None)


def secondary(
    values: Mapping[str, int],
    equations: Iterable[Equation],
    withheld: set[str],
    threshold: int = 0,
) -> Suppression:
    """Return WITHHELD (the primary cells) grown until the published figures give no withheld
    value away, and which of them are shown as "<k" (k the THRESHOLD; with 0, none).

    The cells to withhold are chosen as if every withheld one were shown as ".."; then a "<k"
    that would let a reader pin a value down is shown as ".." instead, until none does (at
    worst all are "..", the safe choice made first)."""
    result = set(withheld)
    active = [equation for equation in equations if equation.holds(values)]
    while True:
        changed = True
        while changed:  # the cheap rule first: no equation with one withheld member
            changed = False
            for equation in active:
                if _gives_away(equation, values, result):
                    key = _next_to_withhold(equation, values, result)
                    if key is not None:
                        result.add(key)
                        changed = True
        extra = _one_more(values, active, result)
        if extra is None:
            break
        result.add(extra)
    small = set(withheld) if threshold else set()
    while small:
        given_away = exposed(values, active, result, small, threshold)
        if not given_away:
            break
        key = _to_unmark(active, given_away, small)
        if key is None:
            break
        small.discard(key)
    return Suppression(frozenset(result), frozenset(small))


def suppression(
    values: Mapping[str, int],
    equations: Iterable[Equation],
    threshold: int,
    exempt: Iterable[str] = (),
) -> Suppression:
    """Return the keys of VALUES to withhold, primary then secondary, and their signs."""
    return secondary(values, equations, primary(values, threshold, exempt), threshold)


def suppress(
    values: Mapping[str, int],
    equations: Iterable[Equation],
    threshold: int,
    exempt: Iterable[str] = (),
) -> set[str]:
    """Return the keys of VALUES to withhold: primary, then secondary suppression."""
    return set(suppression(values, equations, threshold, exempt).withheld)
