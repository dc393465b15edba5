"""The tables of a publication, built from its figures (published or internal).

A table is plain data - a title, columns and rows of cells - from which the HTML, the PDF,
the workbook and the charts are made. A cell is a count, a share (a fraction of the table's
total), text, or None when withheld; a withheld count under the threshold is shown as "<k",
any other as "..". Shares are computed from published counts only, and a
withheld count has no share. Rows are ordered by count, largest first; withheld rows come
after the published ones in the order of their labels (so their order tells nothing of
their size), then "Other" and "Unknown".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from nas.reporting import periods
from nas.reporting.data import TREND, Figures, trend_periods
from nas.reporting.disclosure import OTHER
from nas.reporting.figures.common import UNKNOWN
from nas.reporting.labels import Labels, age_band_labels

# The sign of a withheld number in every table and chart (as Statistics Finland marks data
# withheld for confidentiality); a count withheld for being under the threshold k is "<k".
WITHHELD = ".."


def withheld_sign(small: bool, threshold: int) -> str:
    """Return how a withheld number is shown: "<THRESHOLD" when SMALL, else ".."."""
    return f"<{threshold}" if small and threshold else WITHHELD


ColumnKind = Literal["label", "count", "share", "text"]
Cell = int | float | str | None


@dataclass(frozen=True)
class Column:
    label: str
    kind: ColumnKind


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    code: str = ""
    is_total: bool = False
    # The indexes of the cells withheld for being under the threshold (shown "<k").
    small: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    threshold: int = 0

    def sign(self, row: Row, index: int) -> str:
        """Return how the cell INDEX of ROW is shown when withheld: "<k" or ".."."""
        return withheld_sign(index in row.small, self.threshold)

    def body(self) -> tuple[Row, ...]:
        """Return the rows other than the total."""
        return tuple(row for row in self.rows if not row.is_total)

    def value(self, code: str, column: int = 1) -> Cell:
        """Return the cell in COLUMN (1 = the first after the label) of the row of CODE."""
        row = next(row for row in self.rows if row.code == code)
        return row.cells[column - 1]


def share(part: int | None, whole: int | None) -> float | None:
    """Return PART of WHOLE as a fraction; None when either is withheld or WHOLE is zero."""
    if part is None or not whole:
        return None
    return part / whole


def ordered(values: Mapping[str, int | None], labels: Labels, list_name: str) -> list[str]:
    """Return the codes of VALUES in table order: largest published first, then withheld
    (by label), then Other and Unknown."""
    last = [code for code in (OTHER, UNKNOWN) if code in values]
    rest = [code for code in values if code not in last]
    published = sorted(
        (code for code in rest if values[code] is not None),
        key=lambda code: (-(values[code] or 0), labels.of(list_name, code)),
    )
    withheld = sorted(
        (code for code in rest if values[code] is None), key=lambda code: labels.of(list_name, code)
    )
    return published + withheld + last


class Builder:
    """Builds the tables of one publication from its figures and labels."""

    def __init__(self, figures: Figures, labels: Labels) -> None:
        self.figures = figures
        self.labels = labels

    def counts(
        self,
        key: str,
        title: str,
        head: str,
        count_label: str,
        prefix: str,
        list_name: str,
        *,
        total: str | None = None,
        codes: Iterable[str] | None = None,
        shares: bool = True,
    ) -> Table:
        """A table of the family PREFIX: one row per code, with shares of TOTAL."""
        family = self.figures.family(prefix)
        order = list(codes) if codes is not None else ordered(family, self.labels, list_name)
        whole = self.figures.get(total) if total else None
        columns = [Column(head, "label"), Column(count_label, "count")]
        if shares and total:
            columns.append(Column(_("Share"), "share"))
        rows = []
        for code in order:
            value = family.get(code, 0)
            cells: tuple[Cell, ...] = (value,)
            if shares and total:
                cells += (share(value, whole),)
            small = _small(self.figures, f"{prefix}.{code}")
            rows.append(Row(self.labels.of(list_name, code), cells, code, small=small))
        if total:
            cells = (whole, 1.0 if whole else None) if shares else (whole,)
            rows.append(
                Row(
                    _("Total"),
                    cells[: len(columns) - 1],
                    "total",
                    is_total=True,
                    small=_small(self.figures, total),
                )
            )
        return Table(key, title, tuple(columns), tuple(rows), self.figures.threshold)

    def summary(self, key: str, title: str, head: str, items: list[tuple[str, str]]) -> Table:
        """A table of single figures: (label, figure key) per row."""
        rows = tuple(
            Row(text, (self.figures.get(figure),), figure, small=_small(self.figures, figure))
            for text, figure in items
        )
        return Table(
            key,
            title,
            (Column(head, "label"), Column(_("Number"), "count")),
            rows,
            self.figures.threshold,
        )


def _small(figures: Figures, *keys: str) -> frozenset[int]:
    """Return the indexes of KEYS (a row's cells in order) that are shown as "<k"."""
    return frozenset(index for index, key in enumerate(keys) if figures.is_small(key))


def trend_table(figures: Figures) -> Table:
    """Referrals in the same period of each of the last years."""
    rows = []
    for each in trend_periods(figures.period):
        key = f"{TREND}.{each.start.year}"
        rows.append(
            Row(
                periods.label(each),
                (figures.get(key),),
                str(each.start.year),
                small=_small(figures, key),
            )
        )
    years = {"first": rows[0].code, "last": rows[-1].code}
    if periods.kind(figures.period) is periods.Kind.YEAR:
        title = _("Referrals %(first)s–%(last)s") % years
    else:
        title = _("Referrals in the same period of the years %(first)s–%(last)s") % years
    return Table(
        "trend",
        title,
        (Column(_("Period"), "label"), Column(_("Referrals"), "count")),
        tuple(rows),
        figures.threshold,
    )


def forms_by_gender_table(
    figures: Figures, labels: Labels, key: str, title: str, prefix: str, total: str
) -> Table:
    """Forms of exploitation (rows) by gender (columns), with each form's total."""
    by_form = figures.family(prefix.replace("by_form_gender", "by_form"))
    genders = sorted(
        {
            code.rsplit(".", 1)[1]
            for code in figures.values
            if code.startswith(prefix + ".") and code.count(".") == prefix.count(".") + 2
        },
        key=("female", "male", "other", "unknown").index,
    )
    columns = [Column(_("Form of exploitation"), "label"), Column(_("Total"), "count")]
    columns += [Column(labels.of("gender", gender), "count") for gender in genders]
    rows = []
    for form in ordered(by_form, labels, "form"):
        keys: tuple[str, ...] = (f"{prefix.replace('by_form_gender', 'by_form')}.{form}",)
        keys += tuple(f"{prefix}.{form}.{gender}" for gender in genders)
        cells: tuple[Cell, ...] = (by_form[form], *(figures.get(key) for key in keys[1:]))
        rows.append(Row(labels.of("form", form), cells, form, small=_small(figures, *keys)))
    totals: tuple[Cell, ...] = (figures.get(total),)
    totals += tuple(
        _column_total([row.cells[index + 1] for row in rows]) for index in range(len(genders))
    )
    rows.append(Row(_("Total"), totals, "total", is_total=True, small=_small(figures, total)))
    return Table(key, title, tuple(columns), tuple(rows), figures.threshold)


def _column_total(cells: list[Cell]) -> int | None:
    """The sum of a column of published counts; None when one of them is withheld."""
    if any(cell is None for cell in cells):
        return None
    return sum(int(cell or 0) for cell in cells)


def stock_nationality_table(figures: Figures, labels: Labels) -> Table:
    """All victims on the last day by nationality, with the band of each nationality."""
    family = figures.family("stock.by_nationality")
    rows = []
    for code in ordered(family, labels, "nationality"):
        value = family[code]
        rows.append(
            Row(
                labels.of("nationality", code),
                (value, _band(code, value, figures)),
                code,
                small=_small(figures, f"stock.by_nationality.{code}"),
            )
        )
    total = "stock.victims"
    rows.append(
        Row(
            _("Total"),
            (figures.get(total), ""),
            "total",
            is_total=True,
            small=_small(figures, total),
        )
    )
    return Table(
        "stock_by_nationality",
        _("All victims on %(day)s by nationality") % {"day": periods.last_day(figures.period)},
        (
            Column(_("Nationality"), "label"),
            Column(_("Victims"), "count"),
            Column(_("Persons per nationality"), "text"),
        ),
        tuple(rows),
        figures.threshold,
    )


def band(value: int) -> str:
    """Return the nationality band of VALUE persons (the publication's bands)."""
    if value >= 20:
        return _("20 or more")
    if value >= 10:
        return _("10–19")
    return _("Fewer than 10")


def _band(code: str, value: int | None, figures: Figures) -> str | None:
    if code == UNKNOWN:
        return ""
    if code == OTHER:
        return _("fewer than %(threshold)s each") % {"threshold": figures.threshold}
    return None if value is None else band(value)


def publication_tables(figures: Figures, labels: Labels) -> dict[str, Table]:
    """Return every table of the publication of FIGURES, by key, in publication order."""
    b = Builder(figures, labels)
    day = periods.last_day(figures.period)
    period = periods.label(figures.period)
    bands = age_band_labels()
    age_codes = [
        code
        for code in bands
        if code not in ("adult_unknown_age", "unknown")
        or figures.get(f"new_clients.by_age_band.{code}") != 0
    ]
    tables: list[Table | None] = [
        trend_table(figures),
        b.counts(
            "referrers",
            _("Referrals in %(period)s by referrer type") % {"period": period},
            _("Referrer type"),
            _("Referrals"),
            "referrals.by_referrer_type",
            "referrer_type",
            total="referrals.total",
        ),
        b.summary(
            "decisions",
            _("Admission decisions in %(period)s") % {"period": period},
            _("Decision"),
            [
                (_("Positive"), "decisions.positive"),
                (_("Negative"), "decisions.negative"),
                (_("Pending on %(day)s") % {"day": day}, "decisions.pending_at_end"),
            ],
        ),
        b.counts(
            "negative_reasons",
            _("Reasons for negative decisions in %(period)s") % {"period": period},
            _("Reason"),
            _("Decisions"),
            "decisions.negative_by_reason",
            "negative_reason",
            total="decisions.negative",
        ),
        None
        if "decisions.median_days" not in figures.values
        else b.summary(
            "timeliness",
            _("Days from referral to decision in %(period)s") % {"period": period},
            _("Days"),
            [
                (_("Median"), "decisions.median_days"),
                (_("90th percentile"), "decisions.p90_days"),
            ],
        ),
        b.counts(
            "ended",
            _("Assistance ended in %(period)s by reason") % {"period": period},
            _("Reason"),
            _("Clients"),
            "ended.by_reason",
            "end_reason",
            total="ended.total",
        ),
        b.summary(
            "new_clients",
            _("New clients in %(period)s") % {"period": period},
            _("Client type"),
            [
                (labels.of("client_type", "victim"), "new_clients.victims"),
                (labels.of("client_type", "witness"), "new_clients.witnesses"),
                (labels.of("client_type", "child"), "new_clients.children"),
            ],
        ),
        b.counts(
            "new_by_gender",
            _("New victims in %(period)s by gender") % {"period": period},
            _("Gender"),
            _("Victims"),
            "new_clients.by_gender",
            "gender",
            total="new_clients.victims",
        ),
        b.counts(
            "new_by_age",
            _("New victims in %(period)s by age at admission") % {"period": period},
            _("Age"),
            _("Victims"),
            "new_clients.by_age_band",
            "age_band",
            total="new_clients.victims",
            codes=age_codes,
        ),
        b.counts(
            "new_by_nationality",
            _("New victims in %(period)s by nationality") % {"period": period},
            _("Nationality"),
            _("Victims"),
            "new_clients.by_nationality",
            "nationality",
            total="new_clients.victims",
        ),
        b.summary(
            "new_where",
            _("New victims in %(period)s by where they were exploited") % {"period": period},
            _("Exploited"),
            [
                (_("In Finland"), "new_clients.exploited_in_finland"),
                (_("Only abroad"), "new_clients.exploited_abroad_only"),
            ],
        ),
        forms_by_gender_table(
            figures,
            labels,
            "forms_by_gender",
            _("Forms of exploitation of new victims in %(period)s by gender") % {"period": period},
            "exploitation.by_form_gender",
            "exploitation.forms",
        ),
        b.counts(
            "primary_forms",
            _("Primary forms of exploitation of new victims in %(period)s") % {"period": period},
            _("Form of exploitation"),
            _("Victims"),
            "exploitation.primary_by_form",
            "form",
            total="new_clients.victims",
        ),
        b.counts(
            "finland_by_gender",
            _("Victims exploited in Finland, %(period)s, by gender") % {"period": period},
            _("Gender"),
            _("Persons"),
            "finland.by_gender",
            "gender",
            total="finland.persons",
        ),
        b.counts(
            "finland_by_nationality",
            _("Victims exploited in Finland, %(period)s, by nationality") % {"period": period},
            _("Nationality"),
            _("Persons"),
            "finland.by_nationality",
            "nationality",
            total="finland.persons",
        ),
        b.counts(
            "finland_by_form",
            _("Forms of exploitation in Finland, %(period)s") % {"period": period},
            _("Form of exploitation"),
            _("Cases"),
            "finland.by_form",
            "form",
            total="finland.forms",
        ),
        b.counts(
            "finland_sectors",
            _("Forced labour in Finland, %(period)s, by sector") % {"period": period},
            _("Sector"),
            _("Cases"),
            "finland.forced_labour_by_sector",
            "sector",
            total="finland.by_form.forced_labour",
        ),
        b.counts(
            "finland_by_residence",
            _("Victims exploited in Finland, %(period)s, by right of residence")
            % {"period": period},
            _("Right of residence"),
            _("Persons"),
            "finland.by_residence",
            "residence",
            total="finland.persons",
        ),
        b.counts(
            "finland_by_permit",
            _("Residence permits of victims exploited in Finland, %(period)s, by type")
            % {"period": period},
            _("Permit type"),
            _("Persons"),
            "finland.by_permit_type",
            "permit",
            total="finland.by_residence.residence_permit",
        ),
        b.counts(
            "finland_by_referrer",
            _("Victims exploited in Finland, %(period)s, by referrer type") % {"period": period},
            _("Referrer type"),
            _("Persons"),
            "finland.by_referrer_type",
            "referrer_type",
            total="finland.persons",
        ),
        b.counts(
            "reflection_periods",
            _("Reflection periods granted in %(period)s") % {"period": period},
            _("Granted by"),
            _("Reflection periods"),
            "reflection_periods.granted_by",
            "granted_by",
            total="reflection_periods.granted",
            shares=False,
        ),
        b.summary(
            "stock",
            _("All clients on %(day)s") % {"day": day},
            _("Clients"),
            [
                (_("All clients"), "stock.total"),
                (labels.of("client_type", "victim"), "stock.victims"),
                (labels.of("client_type", "witness"), "stock.witnesses"),
                (labels.of("client_type", "child"), "stock.children"),
                (_("Minors among the victims"), "stock.minor_victims"),
                (_("Victims admitted as minors"), "stock.admitted_as_minors"),
                (_("Nationalities among the victims"), "stock.nationalities"),
            ],
        ),
        b.counts(
            "stock_by_gender",
            _("All victims on %(day)s by gender") % {"day": day},
            _("Gender"),
            _("Victims"),
            "stock.by_gender",
            "gender",
            total="stock.victims",
        ),
        stock_nationality_table(figures, labels),
        b.counts(
            "stock_by_form",
            _("Forms of exploitation of all victims on %(day)s") % {"day": day},
            _("Form of exploitation"),
            _("Cases"),
            "stock.by_form",
            "form",
        ),
    ]
    return {table.key: table for table in tables if table is not None}
