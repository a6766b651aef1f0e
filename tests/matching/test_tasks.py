"""The matching tasks, receivers, sweep, beat schedule and commands."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from matching import tasks
from matching.engine import data
from matching.models import Cohort, Match, NeedMatchState
from needs import services as need_services
from needs.models import Need
from offers import services as offer_services
from portal.celery import app
from tests import factories
from tests.celery_worker import publishing_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    data.clear_cache()


def test_submitting_a_need_matches_it_on_commit(business_user,
                                                django_capture_on_commit_callbacks):
    need = factories.NeedFactory(organisation=business_user.memberships.get().organisation,
                                 status=Need.Status.DRAFT)
    offer = factories.OfferFactory()
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_submit(need=need, by=factories.UserFactory())
    assert Match.objects.filter(need=need, offer=offer).exists()


def test_publishing_an_offer_matches_it_and_archiving_drops_suggestions(
        provider_user, django_capture_on_commit_callbacks):
    need = factories.NeedFactory()
    offer = factories.OfferFactory(status="draft",
                                   provider=provider_user.memberships.get().organisation)
    with django_capture_on_commit_callbacks(execute=True):
        offer_services.offer_publish(offer=offer)
    assert Match.objects.filter(need=need, offer=offer).exists()
    data.clear_cache()
    with django_capture_on_commit_callbacks(execute=True):
        offer_services.offer_archive(offer=offer)
    assert not Match.objects.filter(need=need, offer=offer).exists()


def test_a_rolled_back_change_queues_nothing(business_user, django_capture_on_commit_callbacks):
    from django.db import transaction

    need = factories.NeedFactory(organisation=business_user.memberships.get().organisation,
                                 status=Need.Status.DRAFT)
    factories.OfferFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                need_services.need_submit(need=need, by=factories.UserFactory())
                raise RuntimeError("the request failed after the signal")
        except RuntimeError:
            pass
    assert callbacks == [] and not Match.objects.exists()


def test_broker_down_need_is_saved_and_the_sweep_matches_it_later(
        business_client, business_user, django_capture_on_commit_callbacks):
    need = factories.NeedFactory(organisation=business_user.memberships.get().organisation,
                                 status=Need.Status.DRAFT)
    factories.OfferFactory()
    with publishing_to("redis://127.0.0.1:1/0", result_backend=None), \
            django_capture_on_commit_callbacks(execute=True):
        response = business_client.post(reverse("needs:need_submit", args=[need.pk]))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Need.Status.SUBMITTED
    assert not Match.objects.filter(need=need).exists()

    assert tasks.sweep_unmatched.delay().get() == {"needs": 1, "offers": 1}
    assert Match.objects.filter(need=need).exists()
    assert tasks.sweep_unmatched.delay().get() == {"needs": 0, "offers": 0}


def test_rematch_all_fans_out_in_chunks_and_rebuilds_cohorts():
    for _ in range(5):
        factories.NeedFactory(organisation=factories.BusinessFactory())
    factories.OfferFactory()
    assert app.conf.task_always_eager
    assert tasks.rematch_all.delay(chunk_size=2).get()["chunks"] == 3
    assert Match.objects.count() == 5
    assert NeedMatchState.objects.count() == 5
    assert Cohort.objects.filter(is_current=True).exists()


def test_withdrawing_a_need_retires_its_suggestions(business_user,
                                                    django_capture_on_commit_callbacks):
    need = factories.NeedFactory(organisation=business_user.memberships.get().organisation)
    factories.OfferFactory()
    tasks.match_need.delay(need.pk)
    assert Match.objects.filter(need=need).exists()
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_withdraw(need=need)
    assert not Match.objects.filter(need=need).exists()


def test_beat_schedule_names_registered_tasks():
    scheduled = dict(PeriodicTask.objects.values_list("task", "crontab__hour"))
    assert {"matching.tasks.rematch_nightly", "matching.tasks.sweep_unmatched"} <= set(scheduled)
    assert scheduled["matching.tasks.rematch_nightly"] == "2"
    for task in scheduled:
        if task.startswith("matching."):
            assert task in app.tasks


def test_rematch_and_export_commands(tmp_path):
    need = factories.NeedFactory(external_ref="=HYPERLINK(1)")
    offer = factories.OfferFactory(external_id="K-1")
    out = io.StringIO()
    call_command("rematch", stdout=out)
    assert "1 matches kept" in out.getvalue()
    call_command("rematch", "--need", str(need.pk), "--offer", str(offer.pk), stdout=io.StringIO())
    target = tmp_path / "matches.csv"
    call_command("export_matches", str(target), stdout=io.StringIO())
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 1
    assert rows[0]["need_external_ref"] == "'=HYPERLINK(1)"  # no formula reaches a spreadsheet
    assert rows[0]["offer_external_id"] == "K-1" and rows[0]["rank"] == "1"
    assert '"topic": 1.0' in rows[0]["components"]


def test_adviser_rematch_now_runs_the_full_rematch(adviser_client):
    need = factories.NeedFactory()
    factories.OfferFactory()
    response = adviser_client.post(reverse("matching:rematch_now"), follow=True)
    assert response.status_code == 200
    assert Match.objects.filter(need=need).exists()  # in-process: no broker configured


def test_adviser_rematch_now_with_the_broker_down_says_so_instead_of_failing(adviser_client):
    need = factories.NeedFactory()
    factories.OfferFactory()
    with publishing_to("redis://127.0.0.1:1/0", result_backend=None):
        response = adviser_client.post(reverse("matching:rematch_now"), follow=True)
    assert response.status_code == 200
    assert "Oppgavekøen kan ikke nås" in response.content.decode()
    assert not Match.objects.filter(need=need).exists()


def test_enqueue_swallows_only_broker_outages():
    from portal.celery import enqueue

    with publishing_to("redis://127.0.0.1:1/0", result_backend=None):
        assert enqueue(tasks.match_need, 1) is False

    class Broken:
        name = "broken"

        def apply_async(self, **kwargs):
            raise TypeError("a bug, not an outage")

    with pytest.raises(TypeError):
        enqueue(Broken())
