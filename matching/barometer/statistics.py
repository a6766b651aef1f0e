"""The barometer's statistics: load the rows once, build one release per round, report.

Reads go through the barometer selectors (a fixed number of queries, whatever the number of
needs); pandas does the grouping. `adviser_dashboard` gives exact figures within the adviser's
scope and filters; `public_history` gives the protected releases every public answer reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext

from . import charts, frames, selectors
from .release import TREND_FAMILIES, Release, build, micro_for_round
from .report import Labels, build_report
from .selectors import Filters
from .tables import Cell, Column, Report, Row, Table


@dataclass
class Data:
    rounds: list[dict]
    needs: pd.DataFrame
    responses: pd.DataFrame
    labels: Labels


def load(*, municipalities: frozenset[str] | None = None,
         round_ids: list[int] | None = None) -> Data:
    division_to_section, sections = selectors.industry_sections()
    region = selectors.municipalities_in_region()
    if municipalities is not None:
        region = [m for m in region if m["code"] in municipalities]
    return Data(
        rounds=selectors.rounds(),
        needs=frames.needs_frame(municipalities=municipalities, round_ids=round_ids,
                                 division_to_section=division_to_section),
        responses=frames.responses_frame(municipalities=municipalities, round_ids=round_ids,
                                         division_to_section=division_to_section),
        labels=Labels(municipalities=region, areas=selectors.top_areas(), sections=sections),
    )


def within(data: Data, municipalities: frozenset[str] | None) -> Data:
    """The region's data narrowed to an adviser's scope (None: all), as `load` would read it."""
    if municipalities is None:
        return data
    needs = data.needs[data.needs["municipality"].isin(municipalities)]
    responses = data.responses[data.responses["municipality"].isin(municipalities)]
    labels = Labels(municipalities=[m for m in data.labels.municipalities
                                    if m["code"] in municipalities],
                    areas=data.labels.areas, sections=data.labels.sections)
    return Data(data.rounds, needs, responses, labels)


def round_label(round_row: dict, rounds: list[dict]) -> str:
    same_year = [r for r in rounds if r["year"] == round_row["year"]]
    return str(round_row["year"]) if len(same_year) == 1 else round_row["name"]


def default_round(data: Data) -> dict | None:
    """The latest round that has needs (else the latest round)."""
    with_needs = set(data.needs["round"].unique()) if not data.needs.empty else set()
    candidates = [r for r in data.rounds if r["id"] in with_needs] or data.rounds
    return candidates[-1] if candidates else None


def histories(data: Data, *, protected: bool, full_round: int | None = None
              ) -> list[tuple[dict, str, Release]]:
    """A release for every round, oldest first. With `full_round`, only that round gets
    every family; the others are points on the trend line and the change column (exact
    figures only: a public release is always complete, the same cells in every view)."""
    out = []
    for round_row in data.rounds:
        needs, responses = micro_for_round(round_row["id"], data.needs, data.responses)
        only = TREND_FAMILIES if full_round not in (None, round_row["id"]) else ()
        out.append((round_row, round_label(round_row, data.rounds),
                    build(round_row["id"], needs, responses, protected=protected, only=only)))
    return out


def history_until(releases: list[tuple[dict, str, Release]], round_id: int
                  ) -> list[tuple[str, Release]]:
    out = []
    for round_row, label, release in releases:
        out.append((label, release))
        if round_row["id"] == round_id:
            break
    return out


def _filtered(data: Data, filters: Filters) -> Data:
    needs, responses = data.needs, data.responses
    if filters.municipality:
        needs = needs[needs["municipality"] == filters.municipality]
        responses = responses[responses["municipality"] == filters.municipality]
    if filters.area:
        needs = needs[needs["area"] == filters.area]
    if filters.section:
        needs = needs[needs["section"] == filters.section]
        responses = responses[responses["section"] == filters.section]
    return Data(data.rounds, needs, responses, data.labels)


@dataclass
class Dashboard:
    report: Report
    round: dict | None
    rounds: list[dict]
    labels: Labels


def adviser_dashboard(filters: Filters, region: Data | None = None) -> Dashboard:
    """Exact figures (advisers may read every need in their scope) for the chosen round;
    from `region` (the whole region's data, loaded once per change) when given."""
    scoped = (load(municipalities=filters.municipalities) if region is None
              else within(region, filters.municipalities))
    data = _filtered(scoped, filters)
    chosen = next((r for r in data.rounds if r["id"] == filters.round_id), None) \
        or default_round(data)
    if chosen is None:
        return Dashboard(Report(), None, data.rounds, data.labels)
    releases = histories(data, protected=False, full_round=chosen["id"])
    report = build_report(history=history_until(releases, chosen["id"]), labels=data.labels,
                          municipality=filters.municipality, audience="adviser")
    report.tables.append(cohort_table(frames.cohorts_frame(
        municipalities=filters.municipalities), data.labels, filters))
    return Dashboard(report, chosen, data.rounds, data.labels)


def cohort_table(cohorts: pd.DataFrame, labels: Labels, filters: Filters) -> Table:
    """Current cohorts by competence area: how many, how many are opportunities (big enough
    to run a course), and the participants waiting in those."""
    if filters.area and not cohorts.empty:
        cohorts = cohorts[cohorts["area"] == filters.area]
    columns = [Column("cohorts", gettext("Cohorts")),
               Column("opportunities", gettext("Opportunities")),
               Column("participants", gettext("Participants in opportunities"))]
    rows = []
    for area in labels.areas:
        part = cohorts[cohorts["area"] == area["code"]] if not cohorts.empty else cohorts
        if part.empty:
            continue
        opp = part[part["is_opportunity"]]
        rows.append(Row(area["code"], labels.area_label(area["code"]), [
            Cell(len(part)), Cell(len(opp)), Cell(int(opp["participants"].sum()))]))
    opp = cohorts[cohorts["is_opportunity"]] if not cohorts.empty else cohorts
    rows.append(Row("", gettext("Total"), [Cell(len(cohorts)), Cell(len(opp)),
                                           Cell(int(opp["participants"].sum()) if len(opp)
                                                else 0)], is_total=True))
    table = Table("cohorts", gettext("Cohorts and opportunities"), columns, rows,
                  row_header=gettext("Competence area"))
    table.summary = gettext(
        "%(cohorts)s cohorts of pooled needs; %(opportunities)s of them are big enough to run "
        "a course.") % {"cohorts": rows[-1].cells[0], "opportunities": rows[-1].cells[1]}
    table.chart = charts.bar_chart([(r.label, r.cells[1].number) for r in rows[:-1]],
                                   title=table.summary)
    return table


def public_history() -> list[tuple[dict, str, Release]]:
    """The protected release of every round, uncached (`cache.public_releases` caches each
    round's on its own)."""
    return histories(load(), protected=True)
