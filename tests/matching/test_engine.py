"""The engine end to end on the database: selection, persistence, adviser decisions, sweeps."""

import datetime as dt
import random

import pytest

from matching.engine import (
    data,
    match_need,
    match_needs,
    match_offer,
    needs_due_for_matching,
    offers_due_for_matching,
    render_reasons,
    retire_need,
    score_pair_naive,
)
from matching.engine.selection import select_top
from matching.models import Match, MatchingSettings, NeedMatchState
from needs.models import Need
from offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def test_a_chainsaw_need_gets_the_chainsaw_course_first_with_reasons():
    need = factories.NeedFactory()
    course = factories.OfferFactory()
    factories.OfferFactory(title="Sveisekurs", description="MIG/MAG sveising",
                           areas=["industri.sveising"])
    factories.OfferFactory(title="Skogsmaskinfører", description="Hogstmaskin og lassbærer",
                           areas=["skog.skogsmaskin"], municipality=factories.municipality("4003"))
    result = match_need(need_id=need.pk)
    assert result.needs == 1 and result.pairs_considered == 2  # same top area only
    matches = list(Match.objects.filter(need=need).order_by("rank"))
    assert matches[0].offer == course and matches[0].rank == 1
    assert matches[0].components["topic"] == 1.0
    assert set(matches[0].components) == {"topic", "level", "format", "geography", "timing",
                                          "cost", "capacity"}
    rendered = render_reasons(matches[0].reasons, "en")
    assert rendered[0] == "Same sub-area: Chainsaw course"
    assert "0 km from Seljord" in rendered
    assert NeedMatchState.objects.get(need=need).best_score == matches[0].score


def test_vectorised_scores_equal_the_plain_python_reference():
    rng = random.Random(7)
    codes = ["skog.motorsag", "skog", "skog.skogsmaskin"]
    places = ["4022", "4036", "4003", "4005"]
    for i in range(12):
        factories.OfferFactory(
            areas=[rng.choice(codes)], level=rng.choice(["course", "trade_certificate"]),
            format=rng.choice(["local", "online", "blended", "workplace"]),
            municipality=factories.municipality(rng.choice(places)),
            price_nok=rng.choice([0, 3000, 9000]), max_participants=rng.choice([None, 3, 20]),
            on_demand=i % 5 == 0, title=rng.choice(["Motorsag grunnkurs", "Hogst og felling"]))
    for _ in range(8):
        factories.NeedFactory(
            area=factories.area(rng.choice(codes)), level=rng.choice(["", "course"]),
            formats=rng.sample(["local", "online", "workplace", "blended"], 2),
            organisation=factories.BusinessFactory(
                municipality=factories.municipality(rng.choice(places))),
            budget_per_participant=rng.choice([None, 5000]), max_travel_km=rng.choice([20, 200]))
    settings = MatchingSettings.current()
    settings.min_score, settings.top_k = 0, 100
    offers = data.load_offer_frame()
    needs = data.load_need_frame(data.matchable_needs(), offers.municipalities)
    selection = select_top(needs, offers, settings)
    assert len(selection.need_ids) > 20
    for p in range(len(selection.need_ids)):
        i = int((needs.ids == selection.need_ids[p]).nonzero()[0][0])
        j = int((offers.ids == selection.offer_ids[p]).nonzero()[0][0])
        reference = score_pair_naive(needs.row(i, offers), offers.row(j), settings)
        assert reference.valid
        assert selection.scores[p] == pytest.approx(reference.score, abs=1e-3)
        for k, name in enumerate(reference.components):
            assert selection.components[p][k] == pytest.approx(reference.components[name],
                                                               abs=1e-4)


def test_hard_filters_drop_archived_expired_and_refused_offers():
    need = factories.NeedFactory(formats=["local"])
    factories.OfferFactory(status=Offer.Status.ARCHIVED)
    factories.OfferFactory(application_deadline=TODAY - dt.timedelta(days=1))
    factories.OfferFactory(start_date=TODAY - dt.timedelta(days=20),
                           end_date=TODAY - dt.timedelta(days=10), application_deadline=None)
    factories.OfferFactory(format="workplace")
    match_need(need_id=need.pk)
    assert not Match.objects.filter(need=need).exists()
    assert NeedMatchState.objects.get(need=need).best_score is None


def test_top_k_and_minimum_score_are_respected():
    settings = MatchingSettings.current()
    settings.top_k = 3
    settings.save()
    need = factories.NeedFactory()
    for _ in range(5):
        factories.OfferFactory()
    factories.OfferFactory(municipality=factories.municipality("4001"), price_nok=60000,
                           level="higher_education", max_participants=1,
                           start_date=TODAY + dt.timedelta(days=700),
                           end_date=TODAY + dt.timedelta(days=701),
                           application_deadline=None, areas=["skog.skogsmaskin"])
    match_need(need_id=need.pk)
    ranks = list(Match.objects.filter(need=need).order_by("rank").values_list("rank", "score"))
    assert [r for r, _ in ranks] == [1, 2, 3]
    assert all(score >= settings.min_score for _, score in ranks)


def test_adviser_decisions_survive_rescoring_and_stale_suggestions_go():
    need = factories.NeedFactory()
    kept, decided, dropped = (factories.OfferFactory() for _ in range(3))
    match_need(need_id=need.pk)
    Match.objects.filter(need=need, offer=decided).update(
        status=Match.Status.PROPOSED, adviser_note="Ring Kari først")
    Match.objects.filter(need=need, offer=kept).update(score=1.0)

    Offer.objects.filter(pk__in=[decided.pk, dropped.pk]).update(status=Offer.Status.ARCHIVED)
    data.clear_cache()
    match_need(need_id=need.pk)

    decided_match = Match.objects.get(need=need, offer=decided)
    assert decided_match.status == Match.Status.PROPOSED
    assert decided_match.adviser_note == "Ring Kari først"
    assert decided_match.is_current is False
    assert not Match.objects.filter(need=need, offer=dropped).exists()
    assert Match.objects.get(need=need, offer=kept).score > 1.0  # re-scored


def test_rescoring_twice_is_idempotent():
    for _ in range(3):
        factories.NeedFactory()
    for _ in range(4):
        factories.OfferFactory()
    match_needs()
    first = list(Match.objects.order_by("need_id", "offer_id").values_list(
        "need_id", "offer_id", "score", "rank", "components", "reasons"))
    match_needs()
    second = list(Match.objects.order_by("need_id", "offer_id").values_list(
        "need_id", "offer_id", "score", "rank", "components", "reasons"))
    assert first == second and first


def test_match_offer_after_archiving_drops_its_suggestions_only():
    need, other = factories.NeedFactory(), factories.NeedFactory()
    offer = factories.OfferFactory()
    match_offer(offer_id=offer.pk)
    assert Match.objects.filter(offer=offer).count() == 2
    Match.objects.filter(need=other, offer=offer).update(status=Match.Status.APPROVED)
    offer.status = Offer.Status.ARCHIVED
    offer.save()
    data.clear_cache()
    match_offer(offer_id=offer.pk)
    assert not Match.objects.filter(need=need, offer=offer).exists()
    assert Match.objects.get(need=other, offer=offer).status == Match.Status.APPROVED


def test_retire_need_keeps_decisions():
    need = factories.NeedFactory()
    a, b = factories.OfferFactory(), factories.OfferFactory()
    match_need(need_id=need.pk)
    Match.objects.filter(need=need, offer=a).update(status=Match.Status.ACCEPTED)
    retire_need(need_id=need.pk)
    assert list(Match.objects.filter(need=need).values_list("offer_id", "is_current")) == [
        (a.pk, False)]
    assert b.pk


def test_due_selectors_find_what_the_sweep_must_match():
    need = factories.NeedFactory()
    offer = factories.OfferFactory()
    assert need.pk in needs_due_for_matching()
    assert offer.pk in offers_due_for_matching()
    match_needs()
    assert needs_due_for_matching() == [] and offers_due_for_matching() == []
    Need.objects.filter(pk=need.pk).update(updated_at=need.updated_at + dt.timedelta(hours=1))
    assert needs_due_for_matching() == [need.pk]


def test_free_text_need_in_a_broad_area_finds_the_right_course():
    need = factories.NeedFactory(area=factories.area("industri"), title="Sveising",
                                 description="To ansatte må lære sveising av stål")
    welding = factories.OfferFactory(title="Sveisekurs MIG/MAG",
                                     description="Praktisk sveising av stål",
                                     areas=["industri.sveising"])
    factories.OfferFactory(title="CNC-operatør", description="Dreiing og fresing",
                           areas=["industri.cnc"])
    match_need(need_id=need.pk)
    best = Match.objects.filter(need=need).order_by("rank").first()
    assert best.offer == welding
    assert best.components["topic"] > 0.8
    assert {"code": "words", "words": ["sveising", "stål"]} in best.reasons


@pytest.mark.services
def test_copy_path_on_postgresql_writes_and_updates(postgres_only):
    needs = [factories.NeedFactory() for _ in range(3)]
    decided_offer = factories.OfferFactory()
    factories.OfferFactory()
    result = match_needs()
    assert result.matches_written == 6
    Match.objects.filter(offer=decided_offer).update(status=Match.Status.APPROVED,
                                                     adviser_note="ok")
    Offer.objects.filter(pk=decided_offer.pk).update(status=Offer.Status.ARCHIVED)
    data.clear_cache()
    match_needs()
    assert Match.objects.filter(offer=decided_offer, is_current=False,
                                status=Match.Status.APPROVED).count() == 3
    assert NeedMatchState.objects.filter(need__in=needs).count() == 3


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_full_run_in_chunks_writes_in_a_second_thread_like_one_chunk(postgres_only):
    """Outside a transaction, a multi-chunk run on PostgreSQL writes each chunk from a writer
    thread while the next is scored; the stored result must equal a one-chunk run's."""
    needs = [factories.NeedFactory(participants=2) for _ in range(7)]
    decided = factories.OfferFactory()
    factories.OfferFactory(title="Motorsag for viderekomne")
    factories.OfferFactory(title="Hogst og skogsarbeid", areas=["skog"])

    def stored():
        return {(m.need_id, m.offer_id): (m.score, m.rank, m.status, m.is_current)
                for m in Match.objects.all()}

    result = match_needs(chunk_size=3)  # three chunks: 3 + 3 + 1 needs
    assert result.needs == 7 and result.matches_written == 21
    chunked = stored()
    Match.objects.all().delete()
    match_needs(chunk_size=100)
    assert stored() == chunked
    assert NeedMatchState.objects.filter(need__in=needs).count() == 7

    # Decisions survive a chunked re-run; a suggestion that fell out is gone.
    Match.objects.filter(offer=decided).update(status=Match.Status.APPROVED)
    Offer.objects.filter(pk=decided.pk).update(status=Offer.Status.ARCHIVED)
    data.clear_cache()
    match_needs(chunk_size=3)
    assert Match.objects.filter(offer=decided, status=Match.Status.APPROVED,
                                is_current=False).count() == 7
    assert Match.objects.filter(is_current=True).count() == 14


@pytest.mark.services
def test_fresh_copy_and_merge_store_the_same_rows(postgres_only):
    """First run: COPY straight into the table. Re-run after tampering: the merge path must
    put back exactly the same rows."""
    for _ in range(4):
        factories.NeedFactory()
    factories.OfferFactory()
    factories.OfferFactory(title="Hogst og skogsarbeid", areas=["skog"])

    def stored():
        return {(m.need_id, m.offer_id): (m.score, m.rank, m.status, m.is_current,
                                          m.components, m.reasons, m.adviser_note)
                for m in Match.objects.all()}

    match_needs()
    fresh = stored()
    assert len(fresh) == 8
    Match.objects.update(score=0, reasons=[], rank=99)
    match_needs()
    assert stored() == fresh


@pytest.mark.services
def test_fresh_copy_gives_way_when_a_pair_appeared_meanwhile(postgres_only):
    from django.db import connection, transaction
    from django.utils import timezone

    from matching.engine import persist

    need = factories.NeedFactory()
    offer = factories.OfferFactory()
    Match.objects.create(need=need, offer=offer, score=1.0, rank=1)  # "another worker"
    row = (need.pk, offer.pk, 80.0, '{"topic": 1.0}', '[{"code": "same_area"}]', 1)
    with transaction.atomic(), connection.cursor() as wrapper:
        assert persist._copy_fresh(wrapper.cursor, [row], timezone.now()) is False
        wrapper.cursor.execute("SELECT count(*) FROM matching_match")  # still usable
        assert wrapper.cursor.fetchone()[0] == 1


@pytest.mark.parametrize("args", [
    (True, 12.0, 50.0, "4036", 1.0), (False, None, 50.0, "4036", 0.0),
    (False, float("nan"), 50.0, "4036", 0.0), (False, 12.0, 50.0, "4036", 1.0),
    (False, 120.0, 60.0, "4022", 0.0), (False, 0.0, 0.0, "Ø\"1", 1.0)])
def test_place_reason_written_directly_equals_its_json(args):
    import json

    from matching.engine import explain

    expected = ",".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                        for r in explain._place_reasons(*args))
    assert explain._place_json(*args) == expected
