import pytest

from matching.engine import bands
from matching.models import MatchingSettings
from matching.selectors import gap_needs, gaps_by_area_municipality
from needs.models import Need
from tests.factories import (
    BusinessFactory,
    MatchFactory,
    NeedFactory,
    adviser,
    area,
    municipality,
)

pytestmark = pytest.mark.django_db


def test_need_without_matches_is_a_gap_and_a_well_matched_need_is_not():
    lonely = NeedFactory()
    covered = NeedFactory()
    MatchFactory(need=covered, score=90)
    weak = NeedFactory()
    MatchFactory(need=weak, score=30)
    assert set(gap_needs(user=adviser()).values_list("pk", flat=True)) == {lonely.pk, weak.pk}


def test_gaps_are_the_weak_band_whatever_the_settings_row_says():
    possible = NeedFactory()
    MatchFactory(need=possible, score=bands.POSSIBLE)
    weak = NeedFactory()
    MatchFactory(need=weak, score=bands.POSSIBLE - 0.1)
    row = MatchingSettings.current()
    row.gap_score = 60
    row.save()
    assert list(gap_needs(user=adviser())) == [weak]
    assert list(gap_needs(user=adviser(), threshold=60)) == [possible, weak] or \
        set(gap_needs(user=adviser(), threshold=60)) == {possible, weak}


def test_stale_matches_do_not_hide_a_gap_and_unmatchable_needs_are_ignored():
    need = NeedFactory()
    MatchFactory(need=need, score=95, is_current=False)
    NeedFactory(status=Need.Status.DRAFT)
    NeedFactory(status=Need.Status.COVERED)
    assert list(gap_needs(user=adviser())) == [need]


def test_gaps_are_aggregated_by_area_and_municipality():
    seljord = BusinessFactory(municipality=municipality("4022"))
    seljord2 = BusinessFactory(municipality=municipality("4022"))
    tinn = BusinessFactory(municipality=municipality("4026"))
    NeedFactory(organisation=seljord, participants=3)
    NeedFactory(organisation=seljord, participants=2, title="Andre")
    NeedFactory(organisation=seljord2, participants=4)
    NeedFactory(organisation=tinn, participants=1)
    NeedFactory(organisation=tinn, participants=6, area=area("bygg.tomrer"))
    covered = NeedFactory(organisation=tinn, participants=9)
    MatchFactory(need=covered, score=99)
    rows = {(r["area_code"], r["municipality_code"]): r
            for r in gaps_by_area_municipality(user=adviser())}
    assert set(rows) == {("skog.motorsag", "4022"), ("skog.motorsag", "4026"),
                         ("bygg.tomrer", "4026")}
    seljord_row = rows[("skog.motorsag", "4022")]
    assert (seljord_row["needs"], seljord_row["businesses"], seljord_row["participants"]) == (
        3, 2, 9)
    assert seljord_row["municipality_name"] == "Seljord"
    assert rows[("skog.motorsag", "4026")]["participants"] == 1
    assert rows[("bygg.tomrer", "4026")]["area_label"]
