"""Tables, charts and summaries of the barometer, built from releases (protected or not).

The same builder serves the adviser's dashboard (exact figures) and the public page (the
protected release): a withheld cell arrives here without its value and stays that way, and
every summary sentence is worded from published values only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from needs.models import Need, SurveyResponse
from portal.choices import Level

from . import charts
from .disclosure import ALL
from .frames import SIZE_CODES, UNKNOWN
from .release import Release
from .tables import Cell, Column, Figure, Report, Row, Table

NOT_STATED = _("Not stated")


@dataclass
class Labels:
    municipalities: list[dict]  # in-region, by name: code, name, latitude, longitude
    areas: list[dict]  # top-level: code, label_nb/nn/en
    sections: list[dict]  # SN2007 sections: code, label_nb/nn/en

    def area_label(self, code: str) -> str:
        return _label(next((a for a in self.areas if a["code"] == code), None), code)

    def municipality_name(self, code: str) -> str:
        found = next((m for m in self.municipalities if m["code"] == code), None)
        return found["name"] if found else (str(NOT_STATED) if code == UNKNOWN else code)


def _label(row: dict | None, fallback: str) -> str:
    if row is None:
        return str(NOT_STATED) if fallback == UNKNOWN else fallback
    lang = (get_language() or "nb")[:2]
    return row.get(f"label_{lang}") or row["label_nb"]


def cell(row: dict | None, measure: str, *, percent: bool = False) -> Cell:
    """A table cell from a release row: empty → 0, withheld → no value and its reason."""
    if row is None:
        return Cell(0, percent=percent)
    if row["suppressed"]:
        return Cell(None, reason=row["reason"], percent=percent)
    return Cell(row[measure], percent=percent)


def coverage(release: Release, **dims) -> Cell:
    """Share of needs with an accepted or enrolled match; withheld if either count is."""
    needs = release.cell("needs", **dims)
    if needs is None:
        return Cell(None, percent=True)
    if needs["suppressed"]:
        return Cell(None, reason=needs["reason"], percent=True)
    covered = release.cell("covered", **{k: v for k, v in dims.items() if k != "level"})
    if covered is not None and covered["suppressed"]:
        return Cell(None, reason=covered["reason"], percent=True)
    share = 0.0 if covered is None else 100.0 * covered["needs"] / needs["needs"]
    return Cell(share, percent=True)


def change(now: Cell, before: Cell | None) -> Cell:
    """Now minus before, shown only when both are published (a difference of two published
    figures can reveal nothing that is withheld)."""
    if before is None:
        return Cell(None)
    if now.withheld or before.withheld:
        return Cell(None, reason=now.reason or before.reason)
    if now.value is None or before.value is None:
        return Cell(None)
    return Cell(now.value - before.value)


def _top_sentence(table: Table, key: str, template: str, total: Cell | None = None) -> str:
    # "Not stated" is never the answer the sentence names (it is still in the table).
    index = [c.key for c in table.columns].index(key)
    rows = [row for row in table.rows if not row.is_total and row.cells[index].number]
    values = [(row.label, row.cells[index].number)
              for row in ([r for r in rows if r.code != UNKNOWN] or rows)]
    if not values:
        return gettext("No figures can be shown here.")
    label, value = max(values, key=lambda item: item[1])
    sentence = template % {"label": label, "value": str(Cell(value)),
                           "total": str(total) if total is not None else ""}
    if table.reasons:
        sentence += " " + gettext("Some figures are withheld to protect individual businesses.")
    return sentence


def _bars(table: Table, key: str, *, percent: bool = False, highlight: str = "") -> str:
    return charts.bar_chart([(label, value) for label, value, _r in table.column_values(key)],
                            title=table.summary, percent=percent, highlight=highlight)


def build_report(*, history: list[tuple[str, Release]], labels: Labels,
                 municipality: str = ALL, audience: str = "public") -> Report:
    """The report for the last release in `history` (oldest first), for the region or one
    municipality."""
    round_label, current = history[-1]
    previous = history[-2][1] if len(history) > 1 else None
    where = {"municipality": municipality} if municipality else {}
    report = Report()
    report.figures = [
        Figure("needs", gettext("Needs"), cell(current.cell("needs", **where), "needs")),
        Figure("participants", gettext("Participants"),
               cell(current.cell("needs", **where), "participants")),
        Figure("businesses", gettext("Businesses"),
               cell(current.cell("needs", **where), "businesses")),
        Figure("coverage", gettext("Coverage"), coverage(current, **where)),
        Figure("gaps", gettext("Needs nothing covers"),
               cell(current.cell("gaps", **where), "needs")),
    ]
    report.tables.append(_municipalities(current, previous, labels, municipality))
    report.tables.append(_by_area(current, where, municipality, labels))
    report.tables.append(_simple(
        "levels", gettext("Needs by education level"), current, "needs", "level",
        [(lv.value, str(lv.label)) for lv in Level] + [(UNKNOWN, str(NOT_STATED))], where,
        gettext("Most needs are for this level: %(label)s (%(value)s).")))
    report.tables.append(_area_by_municipality(
        current, labels, "area_municipality", "needs",
        gettext("Needs by competence area and municipality"),
        gettext("Each row is a competence area, each column a municipality; the figures are "
                "numbers of needs.")))
    report.tables.append(_gaps(current, labels))
    report.tables.append(_area_by_municipality(
        current, labels, "gaps_municipality", "gaps",
        gettext("Gaps by competence area and municipality"),
        gettext("Each row is a competence area, each column a municipality; the figures are "
                "needs no offer covers well.")))
    region: dict = {}  # these breakdowns are published for the whole region only
    report.tables.append(_simple(
        "industry", gettext("Needs by industry (SN2007 section)"), current,
        "industry", "section", [(s["code"], f'{s["code"]} {_label(s, s["code"])}')
                                for s in labels.sections] + [(UNKNOWN, str(NOT_STATED))],
        region, gettext("The industry with the most needs is %(label)s (%(value)s).")))
    report.tables.append(_simple(
        "size", gettext("Needs by business size (employees)"), current, "size",
        "size", [(code, code.replace("-", "–")) for code in SIZE_CODES]
        + [(UNKNOWN, str(NOT_STATED))], region,
        gettext("Businesses with %(label)s employees have the most needs (%(value)s).")))
    report.tables.append(_simple(
        "consequences", gettext("Consequence if the need is not met"), current,
        "consequence", "consequence", [(c.value, str(c.label)) for c in Need.Consequence]
        + [(UNKNOWN, str(NOT_STATED))], region,
        gettext("The most common consequence is: %(label)s (%(value)s needs).")))
    report.tables.append(_answers(
        "overall_need", gettext("How large is the unmet need? (businesses that answered)"),
        current, "overall_need", [(c.value, str(c.label)) for c in SurveyResponse.OverallNeed],
        where))
    report.tables.append(_answers(
        "measures", gettext("What businesses do about the need (several answers allowed)"),
        current, "measures", [(c.value, str(c.label)) for c in SurveyResponse.Measure], where))
    report.tables.append(_answers(
        "barriers", gettext("What stands in the way (several answers allowed)"),
        current, "barriers", [(c.value, str(c.label)) for c in SurveyResponse.Barrier], where))
    report.tables.append(_trend(history, where))
    return report


def _municipalities(current, previous, labels, selected) -> Table:
    columns = [Column("needs", gettext("Needs")), Column("participants", gettext("Participants")),
               Column("businesses", gettext("Businesses")),
               Column("coverage", gettext("Coverage")),
               Column("gaps", gettext("Needs nothing covers")),
               Column("change", gettext("Change in needs from the previous round"))]
    rows = []
    for m in labels.municipalities:
        rows.append(_municipality_row(current, previous, m["code"], m["name"]))
    total = _municipality_row(current, previous, ALL, gettext("Whole region"))
    total.is_total = True
    rows.append(total)
    table = Table("municipalities", gettext("Needs by municipality"), columns, rows,
                  row_header=gettext("Municipality"))
    table.summary = _top_sentence(
        table, "needs", gettext("%(label)s has the most needs: %(value)s of %(total)s."),
        total.cells[0])
    positions = charts.tile_positions(labels.municipalities)
    table.chart = charts.tile_map(
        [(m["code"], m["name"], table.rows[i].cells[0].number)
         for i, m in enumerate(labels.municipalities)], positions, title=table.summary,
        selected=selected)
    return table


def _municipality_row(current, previous, code, name) -> Row:
    where = {"municipality": code}
    row = current.cell("needs", **where)
    needs = cell(row, "needs")
    before = cell(previous.cell("needs", **where), "needs") if previous else None
    return Row(code, name, [
        needs, cell(row, "participants"), cell(row, "businesses"), coverage(current, **where),
        cell(current.cell("gaps", **where), "needs"), change(needs, before)])


def _by_area(current, where, municipality, labels) -> Table:
    columns = [Column("needs", gettext("Needs")), Column("participants", gettext("Participants")),
               Column("businesses", gettext("Businesses")),
               Column("coverage", gettext("Coverage")),
               Column("gaps", gettext("Needs nothing covers"))]
    rows = []
    for area in labels.areas:
        dims = {**where, "area": area["code"]}
        row = current.cell("needs", **dims)
        rows.append(Row(area["code"], _label(area, area["code"]), [
            cell(row, "needs"), cell(row, "participants"), cell(row, "businesses"),
            coverage(current, **dims), cell(current.cell("gaps", **dims), "needs")]))
    place = labels.municipality_name(municipality) if municipality else gettext("the region")
    table = Table("areas", gettext("Needs by competence area in %(place)s") % {"place": place},
                  columns, rows, row_header=gettext("Competence area"))
    table.summary = _top_sentence(
        table, "needs", gettext("The competence area with the most needs is %(label)s "
                                "(%(value)s)."))
    table.chart = _bars(table, "needs")
    return table


def _simple(table_id, title, current, family, dim, options, where, template) -> Table:
    columns = [Column("needs", gettext("Needs")), Column("participants", gettext("Participants")),
               Column("businesses", gettext("Businesses"))]
    rows = []
    for code, label in options:
        row = current.cell(family, **{**where, dim: code})
        if row is None and code == UNKNOWN:
            continue
        rows.append(Row(code, label, [cell(row, "needs"), cell(row, "participants"),
                                      cell(row, "businesses")]))
    total = current.cell(family, **where)
    rows.append(Row(ALL, gettext("Total"), [cell(total, "needs"), cell(total, "participants"),
                                            cell(total, "businesses")], is_total=True))
    table = Table(table_id, title, columns, rows)
    table.summary = _top_sentence(table, "needs", template)
    table.chart = _bars(table, "needs")
    return table


def _answers(table_id, title, current, family, options, where) -> Table:
    columns = [Column("respondents", gettext("Businesses")), Column("share", gettext("Share"))]
    respondents = cell(current.cell("overall_need", **where), "respondents")
    rows = []
    for code, label in options:
        dims = {**where, ("overall_need" if family == "overall_need" else "option"): code}
        count = cell(current.cell(family, **dims), "respondents")
        share = Cell(None, reason=count.reason or respondents.reason, percent=True)
        if not share.reason and respondents.value:
            share = Cell(100.0 * count.value / respondents.value, percent=True)
        rows.append(Row(code, label, [count, share]))
    rows.append(Row(ALL, gettext("Businesses that answered"), [respondents, Cell(None)],
                    is_total=True))
    table = Table(table_id, title, columns, rows)
    table.summary = _top_sentence(
        table, "respondents", gettext("The most common answer is “%(label)s” (%(value)s of "
                                      "%(total)s businesses)."), respondents)
    table.chart = _bars(table, "respondents")
    return table


def _area_by_municipality(current, labels, table_id, family, title, summary) -> Table:
    """A cross table of one family's needs: areas down, municipalities across."""
    columns = [Column(m["code"], m["name"]) for m in labels.municipalities]
    columns.append(Column(ALL, gettext("Whole region")))
    rows = []
    for area in [*labels.areas, {"code": ALL}]:
        code = area["code"]
        cells = [cell(current.cell(family, municipality=m.key, area=code), "needs")
                 for m in columns]
        label = gettext("Total") if code == ALL else _label(area, code)
        rows.append(Row(code, label, cells, is_total=code == ALL))
    table = Table(table_id, title, columns, rows, row_header=gettext("Competence area"))
    table.summary = summary
    if table.reasons:
        table.summary += " " + gettext(
            "Some figures are withheld to protect individual businesses.")
    return table


def _gaps(current, labels) -> Table:
    columns = [Column("needs", gettext("Needs nothing covers")),
               Column("participants", gettext("Participants"))]
    rows = []
    for area in labels.areas:
        row = current.cell("gaps", area=area["code"])
        if row is None:
            continue
        rows.append(Row(area["code"], _label(area, area["code"]),
                        [cell(row, "needs"), cell(row, "participants")]))
    total = current.cell("gaps")
    rows.append(Row(ALL, gettext("Total"), [cell(total, "needs"), cell(total, "participants")],
                    is_total=True))
    table = Table("gaps", gettext("Gaps: needs no offer covers well, by competence area"),
                  columns, rows, row_header=gettext("Competence area"))
    table.summary = _top_sentence(table, "needs", gettext(
        "Most gaps are in %(label)s (%(value)s needs)."))
    table.chart = _bars(table, "needs")
    return table


def _trend(history, where) -> Table:
    columns = [Column("needs", gettext("Needs")), Column("participants", gettext("Participants")),
               Column("businesses", gettext("Businesses")),
               Column("coverage", gettext("Coverage"))]
    rows = []
    for label, release in history:
        row = release.cell("needs", **where)
        rows.append(Row(label, label, [cell(row, "needs"), cell(row, "participants"),
                                       cell(row, "businesses"), coverage(release, **where)]))
    table = Table("trend", gettext("Needs across survey rounds"), columns, rows,
                  row_header=gettext("Round"))
    first, last = rows[0], rows[-1]
    if len(rows) > 1 and first.cells[0].number is not None and last.cells[0].number is not None:
        table.summary = gettext(
            "The number of needs went from %(first)s in %(first_round)s to %(last)s in "
            "%(last_round)s.") % {"first": first.cells[0], "first_round": first.label,
                                  "last": last.cells[0], "last_round": last.label}
    else:
        table.summary = gettext("Only one round can be shown so far.") if len(rows) == 1 else \
            gettext("Some figures are withheld to protect individual businesses.")
    table.chart = charts.line_chart(
        [r.label for r in rows],
        [(gettext("Needs"), [r.cells[0].number for r in rows]),
         (gettext("Businesses"), [r.cells[2].number for r in rows])], title=table.summary)
    return table
