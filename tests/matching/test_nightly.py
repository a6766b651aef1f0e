"""The incremental night: nothing changed → nothing re-scored; an offer whose deadline passed
→ only the needs that had it re-scored; changed settings or no full run yet → a full run."""

import datetime as dt

import pytest

from matching.engine import data, match_needs, match_nightly, nightly_plan
from matching.models import EngineRun, Match, MatchingSettings
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def test_without_a_full_run_the_night_is_a_full_run():
    factories.NeedFactory()
    factories.OfferFactory()
    assert nightly_plan(TODAY) is None
    kind, result = match_nightly(today=TODAY)
    assert kind == "full" and result.needs == 1
    assert EngineRun.objects.get().kind == EngineRun.Kind.FULL


def test_a_night_with_nothing_changed_rescores_nothing():
    factories.NeedFactory()
    factories.OfferFactory()
    match_needs()
    before = list(Match.objects.values_list("pk", "updated_at"))
    kind, result = match_nightly(today=TODAY + dt.timedelta(days=1))
    assert kind == "incremental" and result.needs == 0 and result.matches_written == 0
    assert list(Match.objects.values_list("pk", "updated_at")) == before


def test_only_needs_whose_offer_crossed_its_deadline_are_rescored():
    chainsaw_need = factories.NeedFactory()
    welding_need = factories.NeedFactory(area=factories.area("industri.sveising"),
                                         title="Sveising", description="MIG/MAG")
    closing = factories.OfferFactory(application_deadline=TODAY + dt.timedelta(days=1))
    other = factories.OfferFactory(title="Motorsag for viderekomne")
    factories.OfferFactory(title="Sveisekurs MIG/MAG", description="Sveising av stål",
                           areas=["industri.sveising"])
    match_needs()
    assert Match.objects.filter(need=chainsaw_need, offer=closing).exists()
    tomorrow_but_one = TODAY + dt.timedelta(days=2)
    assert nightly_plan(tomorrow_but_one) == [chainsaw_need.pk]
    welding_before = list(Match.objects.filter(need=welding_need).values_list("updated_at"))
    kind, result = match_nightly(today=tomorrow_but_one)
    assert kind == "incremental" and result.needs == 1
    assert not Match.objects.filter(need=chainsaw_need, offer=closing).exists()
    assert Match.objects.get(need=chainsaw_need, offer=other).rank == 1
    assert list(Match.objects.filter(need=welding_need).values_list("updated_at")) == \
        welding_before


def test_changed_settings_or_a_week_make_the_night_a_full_run():
    factories.NeedFactory()
    factories.OfferFactory()
    match_needs()
    assert nightly_plan(TODAY + dt.timedelta(days=1)) == []
    assert nightly_plan(TODAY + dt.timedelta(days=7)) is None
    row = MatchingSettings.current()
    row.top_k = 5
    row.save()
    assert nightly_plan(TODAY + dt.timedelta(days=1)) is None


def test_the_nightly_task_runs_the_incremental_night_after_a_full_run():
    from matching import tasks

    factories.NeedFactory()
    factories.OfferFactory()
    first = tasks.rematch_nightly.delay().get()
    assert first["kind"] == "full"
    second = tasks.rematch_nightly.delay().get()
    assert second["kind"] == "incremental" and second["needs"] == 0
