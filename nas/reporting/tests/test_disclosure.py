"""Disclosure control: small counts are withheld, and no withheld count can be worked out.

The proofs do not trust the module's own reasoning (`bounds`): for random tables they list,
by brute force, every value each withheld cell could have given the published figures and
its sign ("<k": 1 to k - 1; "..": 1 or more), and require at least two.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from nas.reporting.disclosure import (
    OTHER,
    Equation,
    exposed,
    fold_small,
    primary,
    suppress,
    suppression,
)

K = 5


def _published(values: dict[str, int], withheld: set[str]) -> dict[str, int | None]:
    return {key: None if key in withheld else n for key, n in values.items()}


# --- the rules, by example ----------------------------------------------------------------


def test_nationalities_under_the_threshold_fold_into_other():
    assert fold_small({"NP": 59, "SO": 5, "TH": 4, "VN": 1, "XX": 0}, K) == {
        "NP": 59,
        "SO": 5,
        OTHER: 5,
    }
    assert fold_small({"NP": 9}, K) == {"NP": 9}


def test_counts_under_the_threshold_but_above_zero_are_withheld():
    values = {"a": 0, "b": 1, "c": 4, "d": 5, "e": 100}
    assert primary(values, K) == {"b", "c"}
    assert primary(values, K, exempt=["b"]) == {"c"}


def test_a_single_withheld_cell_takes_the_next_smallest_with_it():
    values = {"victims": 24, "female": 3, "male": 9, "other": 12}
    equation = Equation("victims", ("female", "male", "other"))

    assert suppress(values, [equation], K) == {"female", "male"}


def test_a_remainder_of_one_per_withheld_cell_would_give_them_all_away():
    # 22 - 20 = 2 shared by two withheld cells: both are 1. A third cell must go.
    values = {"total": 22, "a": 1, "b": 1, "c": 20}
    equation = Equation("total", ("a", "b", "c"))

    assert suppress(values, [equation], K) == {"a", "b", "c"}


def test_a_withheld_total_is_not_recomputed_from_its_cells():
    # forced labour is withheld to protect another form; its cells by gender would add up to it.
    values = {
        "forms": 30,
        "forced_labour": 12,
        "sexual": 3,
        "begging": 15,
        "forced_labour.female": 6,
        "forced_labour.male": 6,
    }
    equations = [
        Equation("forms", ("forced_labour", "sexual", "begging")),
        Equation("forced_labour", ("forced_labour.female", "forced_labour.male")),
    ]

    result = suppression(values, equations, K)
    withheld = set(result.withheld)

    # forms = 30 leaves forced labour + sexual = 15; forced labour = female + 6: two
    # equations, three unknowns.
    assert withheld == {"sexual", "forced_labour", "forced_labour.female"}
    assert result.small == {"sexual"}
    assert exposed(values, equations, withheld, result.small, K) == set()
    rows = {
        "forced_labour": ["forced_labour.female", "forced_labour.male"],
        "sexual": [],
        "begging": [],
    }
    _assert_nothing_recoverable_in_tree(values, "forms", rows, withheld, K, result.small)


def test_lower_bounds_through_two_levels_do_not_pin_a_value_down():
    # T = R1 + R2 with R1 = a + b and R2 = c + 3: if T were 6 all would be ones and R2 = 4.
    values = {"T": 6, "R1": 2, "R2": 4, "a": 1, "b": 1, "c": 1, "d": 3}
    equations = [
        Equation("T", ("R1", "R2")),
        Equation("R1", ("a", "b")),
        Equation("R2", ("c", "d")),
    ]

    result = suppression(values, equations, K)
    withheld = set(result.withheld)

    assert exposed(values, equations, withheld, result.small, K) == set()
    rows = {"R1": ["a", "b"], "R2": ["c", "d"]}
    _assert_nothing_recoverable_in_tree(values, "T", rows, withheld, K, result.small)


def test_withheld_small_counts_are_shown_as_under_the_threshold():
    values = {"victims": 24, "female": 3, "male": 9, "other": 12}
    result = suppression(values, [Equation("victims", ("female", "male", "other"))], K)

    assert result.withheld == {"female", "male"}
    assert result.small == {"female"}  # "<5"; male is withheld only to protect it: ".."


def test_a_small_total_of_small_cells_is_not_given_away_by_their_signs():
    # Four ones under a total of 4: all "<5". The total is at least the sum of four cells of
    # at least one, so "<5" everywhere would make it 4 and every cell 1.
    values = {"total": 4, "a": 1, "b": 1, "c": 1, "d": 1}
    equations = [Equation("total", ("a", "b", "c", "d"))]

    result = suppression(values, equations, K)

    assert result.withheld == set(values)
    assert result.small < set(values), "some of them are shown as '..' instead"
    assert exposed(values, equations, set(result.withheld), result.small, K) == set()
    rows: dict[str, list[str]] = {key: [] for key in "abcd"}
    _assert_nothing_recoverable_in_tree(
        values, "total", rows, set(result.withheld), K, result.small
    )


def test_an_equation_that_does_not_hold_is_not_used():
    # Primary forms need not add up to the victims (a victim may have none recorded).
    values = {"victims": 20, "primary.a": 3, "primary.b": 10}
    assert suppress(values, [Equation("victims", ("primary.a", "primary.b"))], K) == {"primary.a"}


# --- the proofs ---------------------------------------------------------------------------


def _assert_structurally_safe(values, equations, withheld):
    """Each equation that holds has no withheld member, or at least two."""
    for equation in equations:
        if not equation.holds(values):
            continue
        hidden = [key for key in equation.members() if key in withheld]
        assert len(hidden) != 1, f"{hidden[0]} follows from {equation}"


def _signs(withheld, small):
    """The sign each withheld key is published with: "<k" or ".."."""
    return {key: ("<k" if key in small else "..") for key in withheld}


def _could_be(key, value, signs, k):
    """Whether a withheld KEY could be VALUE, given its sign."""
    if signs[key] == "<k":
        return 1 <= value < k
    return value >= 1


def _row_options(row_total, cells, published, signs, k, top):
    """{possible row total: {key: possible values}} by brute force over the withheld cells.

    A row without cells is a cell of the grand total itself.
    """
    if not cells:
        if published[row_total] is not None:
            return {published[row_total]: {}}
        return {v: {} for v in range(1, top + 1) if _could_be(row_total, v, signs, k)}
    hidden = [cell for cell in cells if published[cell] is None]
    known = sum(published[cell] for cell in cells if published[cell] is not None)
    options: dict[int, dict[str, set[int]]] = {}
    domains = [[v for v in range(1, top + 1) if _could_be(cell, v, signs, k)] for cell in hidden]
    for combo in itertools.product(*domains):
        total = known + sum(combo)
        if published[row_total] is not None and total != published[row_total]:
            continue
        if published[row_total] is None and not _could_be(row_total, total, signs, k):
            continue
        seen = options.setdefault(total, {})
        for cell, value in zip(hidden, combo, strict=True):
            seen.setdefault(cell, set()).add(value)
    return options


def _possible_values(published, grand_total, rows, signs, k, top):
    """Every value each withheld key could take, given the published figures of a 2-level table
    and the signs of the withheld ones.

    TOP bounds the search (more room only adds solutions, so the bound makes the check
    stricter, never looser).
    """
    per_row = {
        row: _row_options(row, cells, published, signs, k, top) for row, cells in rows.items()
    }
    possible: dict[str, set[int]] = {}
    for totals in itertools.product(*(sorted(per_row[row]) for row in rows)):
        grand = sum(totals)
        if published[grand_total] is not None and grand != published[grand_total]:
            continue
        if published[grand_total] is None:
            if not _could_be(grand_total, grand, signs, k):
                continue
            possible.setdefault(grand_total, set()).add(grand)
        for row, total in zip(rows, totals, strict=True):
            if published[row] is None:
                possible.setdefault(row, set()).add(total)
            for cell, seen in per_row[row][total].items():
                possible.setdefault(cell, set()).update(seen)
    return possible


def _assert_nothing_recoverable_in_tree(values, grand_total, rows, withheld, k=K, small=()):
    published = _published(values, withheld)
    signs = _signs(withheld, small)
    top = values[grand_total] + k + 1
    possible = _possible_values(published, grand_total, rows, signs, k, top)
    for key in withheld:
        assert values[key] in possible[key], f"the true value of {key} was not found"
        assert len(possible[key]) >= 2, f"{key} = {values[key]} can be worked out"


def _assert_nothing_recoverable_in_one_equation(values, equation, withheld, k, small):
    """For one equation, list each withheld member's possible values one by one: V is possible
    when the other withheld members, each within its sign, can make up the rest. Their sums
    fill an interval (each member's values do), so that is a range check."""
    signs = _signs(withheld, small)
    top = values[equation.total] + k + 1
    hidden = [key for key in equation.members() if key in withheld]
    cells_known = sum(values[c] for c in equation.cells if c not in withheld)

    def span(key):
        return (1, k - 1) if signs[key] == "<k" else (1, top * len(equation.cells))

    for key in hidden:
        others = [other for other in hidden if other != key]
        possible = set()
        for v in range(1, top + 1):
            if not _could_be(key, v, signs, k):
                continue
            # The hidden cells less a hidden total add up to (published total - known cells).
            low = sum(span(o)[0] if o != equation.total else -span(o)[1] for o in others)
            high = sum(span(o)[1] if o != equation.total else -span(o)[0] for o in others)
            published_total = 0 if equation.total in withheld else values[equation.total]
            own = -v if key == equation.total else v
            if low <= published_total - cells_known - own <= high:  # the others can add up
                possible.add(v)
        assert values[key] in possible, f"the true value of {key} was not found"
        assert len(possible) >= 2, f"{key} = {values[key]} can be worked out"


counts = st.integers(min_value=0, max_value=12)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(counts, min_size=1, max_size=8), k=st.integers(min_value=3, max_value=6))
def test_no_withheld_cell_of_a_table_can_be_worked_out_from_its_total(cells, k):
    values = {"total": sum(cells), **{f"c{i}": n for i, n in enumerate(cells)}}
    equation = Equation("total", tuple(f"c{i}" for i in range(len(cells))))

    result = suppression(values, [equation], k)
    withheld = set(result.withheld)

    assert primary(values, k) <= withheld
    assert result.small <= primary(values, k), "only a count under k is shown as <k"
    assert all(values[key] > 0 for key in withheld), "a zero is never withheld"
    _assert_structurally_safe(values, [equation], withheld)
    _assert_nothing_recoverable_in_one_equation(values, equation, withheld, k, result.small)


@settings(max_examples=200, deadline=None)
@given(
    table=st.lists(
        st.lists(st.integers(min_value=0, max_value=8), min_size=0, max_size=2),
        min_size=1,
        max_size=3,
    ),
    k=st.integers(min_value=3, max_value=6),
)
def test_no_withheld_cell_of_a_two_level_table_can_be_worked_out(table, k):
    # Forms of exploitation (rows) by gender (cells), their totals, and the grand total.
    rows = {f"r{i}": [f"r{i}.{j}" for j in range(len(row))] for i, row in enumerate(table)}
    values = {"T": sum(map(sum, table))}
    for i, row in enumerate(table):
        values[f"r{i}"] = sum(row)
        values.update({f"r{i}.{j}": n for j, n in enumerate(row)})
    equations = [Equation("T", tuple(rows))]
    equations += [Equation(row, tuple(cells)) for row, cells in rows.items()]

    result = suppression(values, equations, k)
    withheld = set(result.withheld)

    assert primary(values, k) <= withheld
    assert result.small <= primary(values, k), "only a count under k is shown as <k"
    _assert_structurally_safe(values, equations, withheld)
    _assert_nothing_recoverable_in_tree(values, "T", rows, withheld, k, result.small)
