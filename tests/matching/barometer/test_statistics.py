"""The adviser dashboard's figures against the hand-computed data set in conftest.py."""

from __future__ import annotations

import pytest
from django.utils import translation

from matching.barometer import statistics
from matching.barometer.selectors import Filters


def figure(report, key):
    return next(f for f in report.figures if f.key == key).cell.value


def value(report, table_id, row_code, column):
    table = report.table(table_id)
    index = [c.key for c in table.columns].index(column)
    row = next(r for r in table.rows if r.code == row_code)
    return row.cells[index].value


@pytest.fixture
def report(hand_data):
    with translation.override("en"):
        return statistics.adviser_dashboard(Filters(round_id=hand_data.r2026.pk)).report


def test_headline_figures(report):
    assert figure(report, "needs") == 5  # the withdrawn need does not count
    assert figure(report, "participants") == 4 + 2 + 3 + 5 + 6
    assert figure(report, "businesses") == 4
    assert figure(report, "coverage") == pytest.approx(40.0)  # N1 accepted, N4 enrolled
    assert figure(report, "gaps") == 2  # N2 (best 20) and N5 (never matched)


def test_by_municipality_with_change_from_the_previous_round(report):
    assert value(report, "municipalities", "4022", "needs") == 3
    assert value(report, "municipalities", "4022", "participants") == 9
    assert value(report, "municipalities", "4022", "businesses") == 2
    assert value(report, "municipalities", "4022", "coverage") == pytest.approx(100 / 3)
    assert value(report, "municipalities", "4022", "gaps") == 1
    assert value(report, "municipalities", "4022", "change") == 3 - 1
    assert value(report, "municipalities", "4036", "needs") == 2
    assert value(report, "municipalities", "4036", "participants") == 11
    assert value(report, "municipalities", "4036", "coverage") == pytest.approx(50.0)
    assert value(report, "municipalities", "4036", "change") == 2 - 1
    assert value(report, "municipalities", "4026", "needs") == 0
    assert value(report, "municipalities", "", "needs") == 5
    assert value(report, "municipalities", "", "change") == 5 - 2


def test_by_area_with_coverage_and_gaps(report):
    assert value(report, "areas", "skog", "needs") == 3  # sub-areas count under their area
    assert value(report, "areas", "skog", "participants") == 12
    assert value(report, "areas", "skog", "businesses") == 3
    assert value(report, "areas", "skog", "coverage") == pytest.approx(100 / 3)
    assert value(report, "areas", "skog", "gaps") == 2
    assert value(report, "areas", "reiseliv", "coverage") == pytest.approx(100.0)
    assert value(report, "areas", "bygg", "participants") == 3
    assert value(report, "area_municipality", "skog", "4022") == 2
    assert value(report, "area_municipality", "skog", "4036") == 1
    assert value(report, "area_municipality", "", "") == 5


def test_by_level_industry_size_and_consequence(report):
    assert value(report, "levels", "course", "needs") == 3
    assert value(report, "levels", "course", "participants") == 11
    assert value(report, "levels", "trade_certificate", "needs") == 1
    assert value(report, "levels", "unknown", "participants") == 6
    assert value(report, "industry", "A", "needs") == 2
    assert value(report, "industry", "A", "participants") == 10
    assert value(report, "industry", "A", "businesses") == 2
    assert value(report, "industry", "F", "needs") == 2
    assert value(report, "industry", "I", "participants") == 5
    assert value(report, "size", "1-4", "participants") == 4
    assert value(report, "size", "10-19", "needs") == 2
    assert value(report, "size", "20-49", "needs") == 1
    assert value(report, "size", "50+", "participants") == 6
    assert value(report, "size", "5-9", "needs") == 0
    assert value(report, "consequences", "safety_risk", "needs") == 1
    assert value(report, "consequences", "unknown", "needs") == 1
    assert value(report, "consequences", "", "needs") == 5


def test_unmet_need_measures_and_barriers(report):
    assert value(report, "overall_need", "large", "respondents") == 1
    assert value(report, "overall_need", "some", "respondents") == 2
    assert value(report, "overall_need", "none", "respondents") == 1
    assert value(report, "overall_need", "", "respondents") == 4
    assert value(report, "measures", "train_staff", "respondents") == 2
    assert value(report, "measures", "train_staff", "share") == pytest.approx(50.0)
    assert value(report, "measures", "recruit_abroad", "respondents") == 0
    assert value(report, "barriers", "cost", "respondents") == 2
    assert value(report, "barriers", "time", "share") == pytest.approx(25.0)


def test_gaps_cohorts_and_trend(report):
    assert value(report, "gaps", "skog", "needs") == 2
    assert value(report, "gaps", "skog", "participants") == 8
    assert value(report, "cohorts", "skog", "opportunities") == 1
    assert value(report, "cohorts", "", "cohorts") == 2
    assert value(report, "cohorts", "", "participants") == 10
    assert value(report, "trend", "2025", "needs") == 2
    assert value(report, "trend", "2025", "participants") == 5
    assert value(report, "trend", "2026", "needs") == 5
    assert value(report, "trend", "2026", "businesses") == 4


def test_gaps_by_area_and_municipality(report):
    # N2 (Seljord, skog, best score 20) and N5 (Vinje, skog, never matched).
    assert value(report, "gaps_municipality", "skog", "4022") == 1
    assert value(report, "gaps_municipality", "skog", "4036") == 1
    assert value(report, "gaps_municipality", "skog", "") == 2
    assert value(report, "gaps_municipality", "bygg", "4022") == 0  # N3 scores 80
    assert value(report, "gaps_municipality", "", "") == 2


def test_filters_narrow_every_table(hand_data):
    board = statistics.adviser_dashboard(Filters(round_id=hand_data.r2026.pk,
                                                 municipality="4036"))
    assert figure(board.report, "needs") == 2
    assert value(board.report, "industry", "A", "needs") == 1
    board = statistics.adviser_dashboard(Filters(round_id=hand_data.r2026.pk, area="skog"))
    assert figure(board.report, "participants") == 12
    board = statistics.adviser_dashboard(Filters(round_id=hand_data.r2026.pk, section="A"))
    assert figure(board.report, "businesses") == 2
    assert value(board.report, "overall_need", "", "respondents") == 2


def test_an_earlier_round_is_reported_on_its_own(hand_data):
    board = statistics.adviser_dashboard(Filters(round_id=hand_data.r2025.pk))
    assert figure(board.report, "needs") == 2
    assert value(board.report, "municipalities", "", "change") is None  # no earlier round
    assert [r.code for r in board.report.table("trend").rows] == ["2025"]


def test_every_table_has_a_summary_and_the_charts_are_svg(report):
    for table in report.tables:
        assert table.summary, table.id
        if table.chart:
            assert table.chart.startswith("<svg") and "<title" in table.chart
    assert "Seljord" in report.table("municipalities").summary


def test_a_summary_names_the_largest_stated_answer(hand_data):
    from tests import factories

    for _ in range(3):  # "Not stated" becomes the largest consequence and level
        factories.NeedFactory(organisation=hand_data.businesses["b4"], round=hand_data.r2026,
                              level="", consequence="")
    with translation.override("en"):
        report = statistics.adviser_dashboard(Filters(round_id=hand_data.r2026.pk)).report
    assert value(report, "consequences", "unknown", "needs") == 4
    assert "Not stated" not in report.table("consequences").summary
    assert "Not stated" not in report.table("levels").summary
    assert "Course or certificate" in report.table("levels").summary


def test_the_trend_axis_reads_in_round_numbers():
    from matching.barometer import charts

    svg = charts.line_chart(["2025", "2026", "2027"], [("Needs", [581, 633, 769])],
                            title="Needs across rounds")
    assert ">400</text>" in svg and ">800</text>" in svg  # not 384.5 and 769
