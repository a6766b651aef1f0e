"""Fault tests on real services: a database error inside an import, Redis stopped while needs
are submitted, PostgreSQL restarted under a burst of requests, a worker killed mid-re-match.

Redis and PostgreSQL that are stopped or restarted here are private instances on free ports
(tests/faults/private_services.py); the shared servers are never touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from matching import services as matching_services
from matching.models import Match
from needs.importing import import_needs
from needs.models import Need
from portal.models import Organisation
from tests import factories
from tests.celery_worker import ROOT, publishing_to, running_worker, wait_for
from tests.faults.private_services import free_port, postgres_bin, private_postgres, private_redis
from tests.needs.test_import import GOOD, row, to_csv

pytestmark = pytest.mark.services


# --- a database error in the middle of an import ---------------------------------------------

def test_a_database_error_in_the_middle_of_an_import_leaves_no_partial_rows(postgres_only, db):
    """A trigger makes PostgreSQL refuse the third need, after the businesses and the first
    needs were written in the same transaction: nothing of the file may remain."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION kp_refuse_need() RETURNS trigger AS $$
            BEGIN
              IF NEW.description = 'FAIL-HERE' THEN
                RAISE EXCEPTION 'disk full (simulated)';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER kp_refuse_need BEFORE INSERT ON needs_need
              FOR EACH ROW EXECUTE FUNCTION kp_refuse_need();
        """)
    rows = [*GOOD, row(external_ref="R9", description="FAIL-HERE")]
    before = (Organisation.objects.count(), Need.objects.count())
    with pytest.raises(DatabaseError):
        import_needs(to_csv(rows), "needs.csv")
    assert (Organisation.objects.count(), Need.objects.count()) == before


# --- Redis stops while needs are submitted ------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_redis_stopped_while_needs_are_submitted_then_the_sweep_matches_them(
        postgres_only, client, tmp_path):
    factories.OfferFactory()
    org = factories.BusinessFactory()
    user = factories.member_of(org)
    drafts = [factories.NeedFactory(organisation=org, status=Need.Status.DRAFT)
              for _ in range(3)]
    client.force_login(user)
    with private_redis(tmp_path) as redis, publishing_to(redis.url):
        redis.stop()
        for need in drafts:
            response = client.post(reverse("needs:need_submit", args=[need.pk]), follow=True)
            assert response.status_code == 200  # the user sees the receipt page, not an error
        assert set(Need.objects.filter(pk__in=[n.pk for n in drafts]).values_list(
            "status", flat=True)) == {Need.Status.SUBMITTED}
        assert not Match.objects.filter(need__in=drafts).exists()

        redis.start()
        with running_worker(redis.url):
            from matching.tasks import sweep_unmatched

            sweep_unmatched.delay()
            wait_for(lambda: Match.objects.filter(need__in=drafts).values(
                "need").distinct().count() == len(drafts), timeout=90)
            # The web process queues again by itself once Redis is back.
            later = factories.NeedFactory(organisation=org, status=Need.Status.DRAFT)
            client.post(reverse("needs:need_submit", args=[later.pk]))
            wait_for(lambda: Match.objects.filter(need=later).exists(), timeout=60)


# --- PostgreSQL restarts during a burst of requests ---------------------------------------

def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.mark.skipif(postgres_bin() is None, reason="needs PostgreSQL's server binaries")
def test_the_app_answers_again_after_postgresql_restarts_without_restarting_itself():
    with private_postgres() as postgres:
        port = free_port()
        env = {**os.environ, "DATABASE_URL": postgres.url, "CONN_MAX_AGE": "600",
               "CONN_HEALTH_CHECKS": "true", "DJANGO_SETTINGS_MODULE": "portal.settings"}
        app = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "1", "--threads", "1", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/healthz"
        try:
            wait_for(lambda: _get(url) == 200, timeout=60)
            statuses: list[int] = []
            stop = threading.Event()

            def burst() -> None:
                while not stop.is_set():
                    statuses.append(_get(url))

            worker = threading.Thread(target=burst)
            worker.start()
            time.sleep(1)
            postgres.restart()
            time.sleep(1)
            stop.set()
            worker.join()
            # Once the database is back, the very next request succeeds on the same process:
            # the kept connection is health-checked and replaced, not reused broken.
            assert _get(url) == 200
            assert [_get(url) for _ in range(5)] == [200] * 5
            assert app.poll() is None, "the app process died"
            assert 200 in statuses and all(s in (200, 503) for s in statuses), statuses
        finally:
            app.terminate()
            app.wait(timeout=20)


# --- a worker killed with SIGKILL in the middle of rematch_all ----------------------------

def _snapshot() -> set[tuple]:
    return set(Match.objects.values_list("need_id", "offer_id", "status").order_by())


def _scores() -> dict[tuple, float]:
    return {(n, o): round(s, 6) for n, o, s in Match.objects.values_list(
        "need_id", "offer_id", "score")}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_rematch_loses_nothing(postgres_only, redis_url, tmp_path):
    from celery.result import AsyncResult

    from matching.engine import data
    from matching.tasks import rematch_all

    for n in range(12):
        factories.OfferFactory(title=f"Motorsagkurs {n}", price_nok=3000 + 100 * n)
    for n in range(120):
        factories.NeedFactory(participants=1 + n % 6, budget_per_participant=3000 + 50 * n)
    data.clear_cache()
    rematch_all(chunk_size=10)  # the undisturbed run, in this process
    expected_scores = _scores()
    adviser = factories.adviser()
    decided = Match.objects.order_by("pk").first()
    matching_services.match_approve(match_id=decided.pk, by=adviser, note="Ring dem i morgen")
    expected = _snapshot()
    # The run to disturb must do the work again: drop every suggestion it will rebuild.
    Match.objects.filter(status=Match.Status.SUGGESTED).delete()

    os.environ["CELERY_VISIBILITY_TIMEOUT"] = "5"
    try:
        with private_redis(tmp_path) as redis:
            with _matches_locked() as waiting_on_lock, running_worker(redis.url) as node:
                pid = _worker_pid(node)
                result = rematch_all.apply_async(kwargs={"chunk_size": 10})
                # The worker is caught in the middle of a chunk, whatever the machine's speed:
                # its write waits on the table this test holds locked.
                wait_for(lambda: waiting_on_lock() and redis_client(redis.url).hlen("unacked"),
                         timeout=120, interval=0.05)
                os.kill(pid, signal.SIGKILL)
                # The chunk it was running is still unacknowledged in Redis (acks_late).
                held = redis_client(redis.url).hlen("unacked")
                assert held >= 1
            # A new worker takes over; the chunk the dead one held comes back to the queue.
            with running_worker(redis.url):
                # Polled rather than waited on: a waiting result subscribes to Redis, and
                # would retry against the stopped private server when it is collected.
                wait_for(result.ready, timeout=60)
                final = AsyncResult(result.result["finish_id"])
                wait_for(final.ready, timeout=240)
                assert final.successful(), final.result
    finally:
        os.environ.pop("CELERY_VISIBILITY_TIMEOUT", None)

    assert _snapshot() == expected
    assert _scores() == expected_scores
    decided.refresh_from_db()
    assert decided.status == Match.Status.APPROVED
    assert decided.events.filter(note="Ring dem i morgen", actor=adviser).exists()


@contextmanager
def _matches_locked():
    """Holds the match table against writes from a second connection until the block ends;
    yields a check for whether another session's write is waiting on that lock."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params) as locker, psycopg.connect(**params, autocommit=True) as probe:
        locker.execute("LOCK TABLE matching_match IN SHARE MODE")

        def waiting_on_lock() -> bool:
            return bool(probe.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
                " AND relation = 'matching_match'::regclass").fetchone()[0])

        try:
            yield waiting_on_lock
        finally:
            locker.rollback()


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)


def _worker_pid(node: str) -> int:
    from portal.celery import app

    replies = app.control.inspect(destination=[node], timeout=2).stats() or {}
    return int(replies[node]["pid"])
