"""On the demo data the score means relevance: the needs no demo offer covers are gaps (the
weak band), the needs with a fitting demo course are not."""

import io

import pytest
from django.core.management import call_command

from matching.engine import bands, data
from matching.models import NeedMatchState
from matching.selectors import gap_needs, gaps_by_area_municipality
from needs.models import Need
from tests import factories

pytestmark = pytest.mark.django_db


def test_gap_report_is_not_empty_on_the_demo_data_and_shows_the_uncovered_needs():
    data.clear_cache()
    call_command("seed_demo", stdout=io.StringIO())
    uncovered = Need.objects.filter(external_ref__contains="-gap-")
    assert uncovered.count() == 4
    gaps = set(gap_needs(user=factories.adviser()).values_list("pk", flat=True))
    assert set(uncovered.values_list("pk", flat=True)) <= gaps
    assert gaps_by_area_municipality(user=factories.adviser())
    # A need with an exact demo course is strong, not a gap.
    chainsaw = Need.objects.filter(title="Motorsagkurs før hogstsesongen",
                                   status__in=Need.MATCHABLE).first()
    best = NeedMatchState.objects.get(need=chainsaw).best_score
    assert bands.band_for(best) == bands.STRONG_BAND and chainsaw.pk not in gaps
