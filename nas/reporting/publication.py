"""A statistics publication laid out like the NAS annual statistics (reference/004).

`build_publication` makes, in one language, the title, the introduction and the sections of
the publication - running text with the figures filled in, charts and tables - from the
figures of a period (`nas.reporting.data`). Sentences are written only from figures that are
published: a sentence that needs a withheld figure is left out, and a share is never given
of a withheld count. The renderers (`nas.reporting.render`) turn the result into HTML, PDF
and a workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nas.reporting import periods
from nas.reporting.charts import Chart, publication_charts
from nas.reporting.data import MULTIPLE, Difference, Figures
from nas.reporting.disclosure import OTHER
from nas.reporting.figures.common import UNKNOWN
from nas.reporting.labels import Labels, figure_label, load_labels
from nas.reporting.tables import WITHHELD, Table, band, publication_tables, share

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Item:
    """A table of a section, and the chart drawn from it (if any)."""

    table: Table
    chart: Chart | None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: list[str]
    items: list[Item]


@dataclass(frozen=True)
class Publication:
    """Everything a rendering of the publication needs, in its language."""

    language: str
    title: str
    period_label: str
    figures: Figures
    introduction: list[str]
    sections: list[Section]
    notes: list[str]
    tables: dict[str, Table]
    charts: dict[str, Chart]
    generated_on: dt.date = field(default_factory=timezone.localdate)
    # the title of each figure that changed since publication, by key
    difference_labels: dict[str, str] = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        return self.figures.internal

    @property
    def differences(self) -> list[Difference]:
        return self.figures.differences

    @property
    def labelled_differences(self) -> list[tuple[str, Difference]]:
        """Return each changed figure with its title in the publication's language."""
        return [(self.difference_labels.get(d.key, d.key), d) for d in self.differences]


def number(value: int | float) -> str:
    """Return VALUE as written in the active language (1,634; 1 634)."""
    return number_format(value, use_l10n=True, force_grouping=True)


def share_text(fraction: float) -> str:
    """Return a fraction as a whole percentage, rounded half up as the publication does."""
    return _("%(percent)s%%") % {"percent": int(100 * fraction + 0.5)}


def percent(part: int | None, whole: int | None) -> str:
    """Return PART of WHOLE as a whole percentage."""
    return share_text(share(part, whole) or 0.0)


def signed_percent(value: int) -> str:
    """Return a change in per cent with its sign: +17%, −5%, 0%."""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + _("%(percent)s%%") % {"percent": abs(value)}


def listing(items: Sequence[str]) -> str:
    """Return "a, b and c" in the active language."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


class Writer:
    """Writes the sentences of one publication from its figures."""

    def __init__(self, figures: Figures, labels: Labels) -> None:
        self.figures = figures
        self.labels = labels
        self.period = periods.label(figures.period)
        self.day = periods.last_day(figures.period)

    def get(self, key: str) -> int | None:
        return self.figures.get(key)

    def known(self, *keys: str) -> bool:
        """Whether every figure of KEYS is published (and present)."""
        return all(self.get(key) is not None for key in keys)

    def top(self, prefix: str, list_name: str, count: int, whole: str | None = None) -> list[str]:
        """Return "label (n, share)" of the COUNT largest published codes of PREFIX."""
        family = {
            code: n
            for code, n in self.figures.family(prefix).items()
            if n and code not in (OTHER, UNKNOWN)
        }
        total = self.get(whole) if whole else None
        largest = sorted(family, key=lambda code: (-(family[code] or 0), code))[:count]
        result = []
        for code in largest:
            value = family[code]
            text = number(value or 0)
            if total:
                text = _("%(number)s, %(share)s") % {"number": text, "share": percent(value, total)}
            result.append(f"{self.labels.of(list_name, code)} ({text})")
        return result

    # --- the sections ------------------------------------------------------------------

    def referrals(self) -> list[str]:
        text = []
        total, positive = self.get("referrals.total"), self.get("decisions.positive")
        if total is not None:
            sentence = ngettext(
                "In %(period)s, %(count)s referral was entered into the National Assistance "
                "System for Victims of Human Trafficking (NAS).",
                "In %(period)s, %(count)s referrals were entered into the National Assistance "
                "System for Victims of Human Trafficking (NAS).",
                total,
            ) % {"period": self.period, "count": number(total)}
            if positive is not None:
                sentence += " " + ngettext(
                    "%(count)s person was admitted as a client.",
                    "%(count)s persons were admitted as clients.",
                    positive,
                ) % {"count": number(positive)}
            text.append(sentence)
        previous = self.get("referrals.previous_period_total")
        if total is not None and previous:
            change = round(100 * (total - previous) / previous)
            text.append(
                ngettext(
                    "In the same period a year earlier there was %(count)s referral "
                    "(change %(change)s).",
                    "In the same period a year earlier there were %(count)s referrals "
                    "(change %(change)s).",
                    previous,
                )
                % {"count": number(previous), "change": signed_percent(change)}
            )
        top = self.top("referrals.by_referrer_type", "referrer_type", 3, "referrals.total")
        if top:
            text.append(_("Most referrals were made by: %(list)s.") % {"list": listing(top)})
        return text

    def decisions(self) -> list[str]:
        text = []
        positive, negative = self.get("decisions.positive"), self.get("decisions.negative")
        if positive is not None:
            text.append(
                ngettext(
                    "In %(period)s, %(count)s positive client admission decision was made.",
                    "In %(period)s, a total of %(count)s positive client admission decisions "
                    "were made.",
                    positive,
                )
                % {"period": self.period, "count": number(positive)}
                + " "
                + _(
                    "A client relationship is not established without the victim's consent. "
                    "In addition, the definition of human trafficking must be met and the "
                    "victim must have a need for help provided through the NAS."
                )
            )
        if negative is not None:
            sentence = ngettext(
                "There was %(count)s negative admission decision.",
                "There were %(count)s negative admission decisions.",
                negative,
            ) % {"count": number(negative)}
            reasons = self.top(
                "decisions.negative_by_reason", "negative_reason", 2, "decisions.negative"
            )
            if reasons and negative >= 2:
                sentence += " " + _("The most common reasons were: %(list)s.") % {
                    "list": listing(reasons)
                }
            text.append(sentence)
        pending = self.get("decisions.pending_at_end")
        if pending:
            text.append(
                ngettext(
                    "On %(day)s, %(count)s referral was waiting for a decision.",
                    "On %(day)s, %(count)s referrals were waiting for a decision.",
                    pending,
                )
                % {"day": self.day, "count": number(pending)}
            )
        if self.figures.values.get("decisions.median_days") is not None and self.known(
            "decisions.p90_days"
        ):
            text.append(
                _(
                    "Half of the decisions were made within %(median)s days of the referral "
                    "and nine in ten within %(p90)s days."
                )
                % {
                    "median": number(self.get("decisions.median_days") or 0),
                    "p90": number(self.get("decisions.p90_days") or 0),
                }
            )
        return text

    def ended(self) -> list[str]:
        ended = self.get("ended.total")
        if ended is None or ended == 0:
            return []
        sentence = ngettext(
            "Assistance was ended for %(count)s client.",
            "Assistance was ended for %(count)s clients.",
            ended,
        ) % {"count": number(ended)}
        reasons = self.top("ended.by_reason", "end_reason", 2, "ended.total")
        if reasons and ended >= 2:
            sentence += " " + _("The most common reasons were: %(list)s.") % {
                "list": listing(reasons)
            }
        return [sentence]

    def new_clients(self) -> list[str]:
        text: list[str] = []
        victims = self.get("new_clients.victims")
        if victims is None:
            return text
        sentence = ngettext(
            "In %(period)s, the NAS admitted %(count)s victim of human trafficking as a new "
            "client.",
            "In %(period)s, the NAS admitted a total of %(count)s victims of human trafficking "
            "as new clients.",
            victims,
        ) % {"period": self.period, "count": number(victims)}
        children, witnesses = self.get("new_clients.children"), self.get("new_clients.witnesses")
        if children:
            sentence += " " + ngettext(
                "%(count)s child of a victim was admitted with them.",
                "%(count)s children of victims were admitted with them.",
                children,
            ) % {"count": number(children)}
        if witnesses:
            sentence += " " + ngettext(
                "%(count)s witness was admitted.", "%(count)s witnesses were admitted.", witnesses
            ) % {"count": number(witnesses)}
        women = self.get("new_clients.by_gender.female")
        if women is not None and victims:
            sentence += " " + _("Of the victims, %(share)s were women and girls.") % {
                "share": percent(women, victims)
            }
        text.append(sentence)
        text += self._ages(victims)
        text += self._nationalities(victims)
        in_finland = self.get("new_clients.exploited_in_finland")
        abroad = self.get("new_clients.exploited_abroad_only")
        if in_finland is not None and abroad is not None and victims:
            text.append(
                _(
                    "%(finland)s of the new victims had been exploited in Finland and "
                    "%(abroad)s only abroad."
                )
                % {"finland": number(in_finland), "abroad": number(abroad)}
            )
        return text

    def _ages(self, victims: int) -> list[str]:
        if not victims:
            return []
        bands = self.figures.family("new_clients.by_age_band")
        labels = self.labels.lists["age_band"]
        parts = [
            _("%(band)s years %(share)s") % {"band": labels[code], "share": percent(n, victims)}
            for code, n in bands.items()
            if n and code not in ("under_18", "adult_unknown_age", "unknown")
        ]
        text = []
        minors = self.get("new_clients.minors")
        if minors is not None:
            text.append(
                ngettext(
                    "%(count)s of the new victims was a minor (%(share)s).",
                    "%(count)s of the new victims were minors (%(share)s).",
                    minors,
                )
                % {"count": number(minors), "share": percent(minors, victims)}
            )
        if parts:
            text.append(_("By age at admission: %(list)s.") % {"list": ", ".join(parts)})
        if any(n is None for n in bands.values()):
            text.append(_("The numbers of the smallest age groups are withheld."))
        return [" ".join(text)] if text else []

    def _nationalities(self, victims: int) -> list[str]:
        text = []
        count = self.get("new_clients.nationalities")
        top = self.top("new_clients.by_nationality", "nationality", 2)
        if count:
            sentence = ngettext(
                "The new victims represented %(count)s nationality.",
                "The new victims represented %(count)s nationalities.",
                count,
            ) % {"count": number(count)}
            if top and count > 1:
                sentence += " " + _("The most common were %(list)s.") % {"list": listing(top)}
            text.append(sentence)
        finns, finns_here = (
            self.get("new_clients.by_nationality.FI"),
            self.get("finland.by_nationality.FI"),
        )
        if finns and finns_here is not None and victims:
            text.append(
                ngettext(
                    "%(count)s of the new victims was a Finnish citizen (%(share)s); "
                    "%(finland)s of them had been exploited in Finland.",
                    "%(count)s of the new victims were Finnish citizens (%(share)s); "
                    "%(finland)s of them had been exploited in Finland.",
                    finns,
                )
                % {
                    "count": number(finns),
                    "share": percent(finns, victims),
                    "finland": number(finns_here),
                }
            )
        other = self.get("new_clients.by_nationality.other")
        if other and not self.figures.internal:
            text.append(
                _(
                    "“Other” (%(share)s) refers to all those nationalities representing fewer "
                    "than %(threshold)s persons."
                )
                % {"share": percent(other, victims), "threshold": self.figures.threshold}
            )
        return text

    def forms(self) -> list[str]:
        victims, forms = self.get("new_clients.victims"), self.get("exploitation.forms")
        if not victims or forms is None:
            return []
        text = [
            _(
                "There were %(victims)s new victims and %(forms)s forms of exploitation in "
                "total, as some had experienced more than one form. Both primary and "
                "secondary forms of exploitation are counted."
            )
            % {"victims": number(victims), "forms": number(forms)}
        ]
        women, men = self._majority("exploitation.by_form_gender")
        if women:
            text.append(
                _("Women were the majority among the victims of: %(list)s.")
                % {"list": listing(women)}
            )
        if men:
            text.append(
                _("Men were the majority among the victims of: %(list)s.") % {"list": listing(men)}
            )
        return text

    def _majority(self, prefix: str) -> tuple[list[str], list[str]]:
        """Return the forms whose victims were mostly women, and mostly men (published only)."""
        women, men = [], []
        for form, total in self.figures.family(prefix.replace("by_form_gender", "by_form")).items():
            female = self.get(f"{prefix}.{form}.female")
            male = self.get(f"{prefix}.{form}.male")
            if not total or female is None or male is None or form == OTHER:
                continue
            label = self.labels.of("form", form).lower()
            if 2 * female > total:
                women.append(label)
            elif 2 * male > total:
                men.append(label)
        return women, men

    def finland(self) -> list[str]:
        persons = self.get("finland.persons")
        if not persons:
            return []
        text = []
        sentence = _(
            "In %(period)s, %(count)s of the new victims had been exploited in Finland."
        ) % {
            "period": self.period,
            "count": number(persons),
        }
        men, women = self.get("finland.by_gender.male"), self.get("finland.by_gender.female")
        if men is not None and women is not None:
            sentence += " " + _("Of these, %(men)s were men and %(women)s women.") % {
                "men": number(men),
                "women": number(women),
            }
        nationalities = self.get("finland.nationalities")
        if nationalities:
            sentence += " " + ngettext(
                "They represented %(count)s nationality.",
                "They represented %(count)s nationalities.",
                nationalities,
            ) % {"count": number(nationalities)}
        text.append(sentence)
        forms, several = self.get("finland.forms"), self.get("finland.persons_multiple_forms")
        if forms is not None:
            sentence = _(
                "They had experienced %(count)s forms of exploitation in Finland in total."
            ) % {"count": number(forms)}
            if several:
                sentence += " " + ngettext(
                    "%(count)s person had experienced more than one form.",
                    "%(count)s persons had experienced more than one form.",
                    several,
                ) % {"count": number(several)}
                by_gender = self.figures.family(MULTIPLE)
                if by_gender.get("female") == several:
                    sentence += " " + _("All of them were women or girls.")
                elif by_gender.get("male") == several:
                    sentence += " " + _("All of them were men or boys.")
            text.append(sentence)
        top = self.top("finland.by_form", "form", 1, "finland.forms")
        sectors = self.top("finland.forced_labour_by_sector", "sector", 4)
        if top:
            sentence = _("The most common form in Finland was %(form)s.") % {"form": top[0]}
            if sectors:
                sentence += " " + _("Forced labour was found in these sectors: %(list)s.") % {
                    "list": listing(sectors)
                }
            text.append(sentence)
        nationalities_top = self.top("finland.by_nationality", "nationality", 2, "finland.persons")
        if nationalities_top:
            text.append(
                _("By nationality, the largest groups were %(list)s.")
                % {"list": listing(nationalities_top)}
            )
        return text

    def reflection(self) -> list[str]:
        text = [
            _(
                "A victim of trafficking in human beings residing in Finland without a right of "
                "residence can be granted a reflection period of 1–6 months. The reflection "
                "period is a temporary right of residence during which residence in Finland is "
                "legal."
            )
        ]
        granted = self.get("reflection_periods.granted")
        if granted is not None:
            text.append(
                ngettext(
                    "In %(period)s, %(count)s reflection period was granted.",
                    "In %(period)s, %(count)s reflection periods were granted.",
                    granted,
                )
                % {"period": self.period, "count": number(granted)}
            )
        return text

    def residence(self) -> list[str]:
        persons = self.get("finland.persons")
        if not persons:
            return []
        text = []
        permits = self.get("finland.by_residence.residence_permit")
        if permits:
            sentence = _(
                "Of those exploited in Finland, %(share)s had a residence permit in Finland."
            ) % {"share": percent(permits, persons)}
            types = self.top("finland.by_permit_type", "permit", 3)
            if types:
                sentence += " " + _("The most common permit types were: %(list)s.") % {
                    "list": listing(types)
                }
            text.append(sentence)
        asylum = self.get("finland.by_residence.asylum_seeker")
        if asylum:
            text.append(
                ngettext(
                    "%(count)s was an asylum seeker (%(share)s).",
                    "%(count)s were asylum seekers (%(share)s).",
                    asylum,
                )
                % {"count": number(asylum), "share": percent(asylum, persons)}
            )
        none = self.get("finland.by_residence.no_right_of_residence")
        if none:
            text.append(
                ngettext(
                    "%(count)s person was without a legal right of residence in Finland.",
                    "%(count)s persons were without a legal right of residence in Finland.",
                    none,
                )
                % {"count": number(none)}
            )
        referrers = self.top("finland.by_referrer_type", "referrer_type", 3, "finland.persons")
        if referrers:
            text.append(
                _("These cases came to light mostly through: %(list)s.")
                % {"list": listing(referrers)}
            )
        return text

    def stock(self) -> list[str]:
        total, victims = self.get("stock.total"), self.get("stock.victims")
        if total is None:
            return []
        text = []
        sentence = ngettext(
            "On %(day)s, the NAS had %(count)s client.",
            "On %(day)s, the NAS had %(count)s clients.",
            total,
        ) % {"day": self.day, "count": number(total)}
        children = self.get("stock.children")
        if victims is not None and children is not None:
            sentence += " " + _(
                "Of them, %(victims)s were identified victims and %(children)s their underage "
                "children."
            ) % {"victims": number(victims), "children": number(children)}
        text.append(sentence)
        minors, as_minors = self.get("stock.minor_victims"), self.get("stock.admitted_as_minors")
        if minors is not None and as_minors is not None:
            text.append(
                _(
                    "There were %(minors)s children among the victims, and %(admitted)s clients "
                    "had been admitted to the system while minors."
                )
                % {"minors": number(minors), "admitted": number(as_minors)}
            )
        women = self.get("stock.by_gender.female")
        if women is not None and victims:
            text.append(
                _("Women accounted for approximately %(share)s of the trafficking victims.")
                % {"share": percent(women, victims)}
            )
        return text

    def stock_nationalities(self, table: Table) -> list[str]:
        """The nationality bands of all victims, named as the publication names them."""
        rows = [row for row in table.body() if row.code not in (OTHER, UNKNOWN)]
        text = []
        for name in (band(10), band(1)):
            members = [row.label for row in rows if row.cells[1] == name]
            if members:
                text.append(
                    _("%(band)s persons per nationality: %(list)s.")
                    % {"band": name, "list": ", ".join(members)}
                )
        withheld = [row.label for row in rows if row.cells[0] is None]
        if withheld:
            text.append(_("Withheld: %(list)s.") % {"list": ", ".join(withheld)})
        count = self.get("stock.nationalities") or 0
        # Every nationality not named in the table folded into "Other".
        folded = max(count - len(rows), 0)
        unknown = self.get("stock.by_nationality.unknown")
        extra = []
        if folded and not self.figures.internal:
            extra.append(
                ngettext(
                    "%(count)s nationality represented by fewer than %(threshold)s persons",
                    "%(count)s nationalities represented by fewer than %(threshold)s persons each",
                    folded,
                )
                % {"count": number(folded), "threshold": self.figures.threshold}
            )
        if unknown:
            extra.append(
                ngettext(
                    "%(count)s person of unknown nationality",
                    "%(count)s persons of unknown nationality",
                    unknown,
                )
                % {"count": number(unknown)}
            )
        if extra:
            text.append(_("In addition: %(list)s.") % {"list": listing(extra)})
        if count:
            text.append(
                ngettext(
                    "In total, %(count)s different nationality.",
                    "In total, %(count)s different nationalities.",
                    count,
                )
                % {"count": number(count)}
            )
        return text


def _introduction(title: str) -> list[str]:
    return [
        _(
            "The National Assistance System for Victims of Human Trafficking (NAS), which has "
            "operated since 2006, is an expert authority in the work against human trafficking. "
            "Joutseno Reception Centre, which is part of the Finnish Immigration Service, is "
            "responsible for the system."
        ),
        _(
            "The purpose of the NAS is to help trafficking victims, their underage children, and "
            "persons who assist in investigations of trafficking offences. It helps both Finnish "
            "and foreign victims of human trafficking equally. All assistance and services are "
            "based on an individual assessment of needs."
        ),
        _(
            "%(title)s presents the key figures of the NAS: the number of referrals and "
            "decisions, new clients by gender, age, nationality and forms of exploitation, "
            "those exploited in Finland separately, and the number and nationalities of all "
            "clients."
        )
        % {"title": title},
    ]


def _notes(figures: Figures) -> list[str]:
    notes = []
    if figures.internal:
        notes.append(
            _(
                "Internal: these figures are as counted, without disclosure control. They are "
                "not for publication."
            )
        )
    else:
        notes.append(
            _(
                "Numbers are withheld to protect the persons counted: “<%(threshold)s” marks a "
                "number from 1 to %(highest)s; “%(sign)s” marks a number withheld for the same "
                "reason or so that such a number cannot be worked out from the other figures."
            )
            % {
                "sign": WITHHELD,
                "threshold": figures.threshold,
                "highest": figures.threshold - 1,
            }
        )
    notes.append(
        _(
            "New clients are those admitted in the period; forms of exploitation include both "
            "primary and secondary forms; exploitation in Finland includes cases strongly "
            "linked to Finland; all clients on the last day are those admitted by then whose "
            "client relationship had not ended."
        )
    )
    if figures.frozen is not None:
        notes.append(
            _("Published on %(date)s. The figures are shown as they were published.")
            % {"date": date_format(timezone.localtime(figures.frozen.published_at), "DATE_FORMAT")}
        )
    return notes


def _item(tables: dict[str, Table], charts: dict[str, Chart], key: str) -> list[Item]:
    table = tables.get(key)
    return [Item(table, charts.get(key))] if table is not None else []


def _sections(writer: Writer, tables: dict[str, Table], charts: dict[str, Chart]) -> list[Section]:
    period, day = writer.period, writer.day

    def items(*keys: str) -> list[Item]:
        return [item for key in keys for item in _item(tables, charts, key)]

    return [
        Section(
            "referrals",
            _("Referrals and decisions in %(period)s") % {"period": period},
            writer.referrals(),
            items("trend", "referrers"),
        ),
        Section(
            "decisions",
            _("Decisions made in %(period)s") % {"period": period},
            writer.decisions() + writer.ended(),
            items("decisions", "negative_reasons", "timeliness", "ended"),
        ),
        Section(
            "new_clients",
            _("New clients in %(period)s") % {"period": period},
            writer.new_clients(),
            items("new_clients", "new_by_gender", "new_by_age", "new_by_nationality", "new_where"),
        ),
        Section(
            "forms",
            _("Forms of exploitation"),
            writer.forms(),
            items("forms_by_gender", "primary_forms"),
        ),
        Section(
            "finland",
            _("Exploitation in Finland"),
            writer.finland() + writer.reflection() + writer.residence(),
            items(
                "finland_by_gender",
                "finland_by_nationality",
                "finland_by_form",
                "finland_sectors",
                "finland_by_residence",
                "finland_by_permit",
                "finland_by_referrer",
                "reflection_periods",
            ),
        ),
        Section(
            "stock",
            _("All clients on %(day)s") % {"day": day},
            writer.stock() + writer.stock_nationalities(tables["stock_by_nationality"]),
            items("stock", "stock_by_gender", "stock_by_nationality", "stock_by_form"),
        ),
    ]


def build_publication(
    figures: Figures, *, language: str, charts: bool = True, progress: Progress | None = None
) -> Publication:
    """Return the publication of FIGURES in LANGUAGE, with its CHARTS drawn unless not
    needed (a workbook); PROGRESS is called before each chart."""
    with translation.override(language):
        labels = load_labels()
        tables = publication_tables(figures, labels)
        drawn = publication_charts(tables, progress) if charts else {}
        title = periods.title(figures.period)
        return Publication(
            language=language,
            title=title,
            period_label=periods.label(figures.period),
            figures=figures,
            introduction=_introduction(title),
            sections=_sections(Writer(figures, labels), tables, drawn),
            notes=_notes(figures),
            tables=tables,
            charts=drawn,
            difference_labels={d.key: figure_label(d.key, labels) for d in figures.differences},
        )
