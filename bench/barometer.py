"""Benchmark: the barometer with 10 000 needs over 3 survey rounds.

    .venv/bin/python bench/barometer.py [--regenerate]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kp_bench_barometer), creates and
migrates that database if needed, generates 10 000 needs from 3 000 businesses in the eight
municipalities over three rounds once (with survey answers, accepted and enrolled matches,
engine scores), then times requests through Django's test Client as production runs them:
the figures are computed by the background refresh after each change (here run in this
process, timed on its own) and pages serve the last complete snapshot. It prints median and
p95 server time, the median CPU time of this process per request (less sensitive to the
machine's load than the wall clock) and each page's number of SQL queries (constant, whatever
the data), with the issue's targets: the adviser's dashboard median < 300 ms, the public page
median < 100 ms, right after a change as well as once its figures are refreshed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

from setup_database import ensure_database  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench_barometer")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")  # no query log: measure what production runs

NEEDS = 10_000
BUSINESSES = 3_000
ROUNDS = [(2025, dt.date(2024, 11, 1), dt.date(2025, 2, 28)),
          (2026, dt.date(2025, 11, 1), dt.date(2026, 2, 28)),
          (2027, dt.date(2026, 11, 1), dt.date(2027, 2, 28))]
N = 15
WARMUP = 2
INDUSTRIES = ["01.410", "02.200", "16.100", "35.111", "41.200", "43.210", "47.110", "49.410",
              "55.101", "55.202", "56.101", "62.010", "69.201", "85.599", "87.100", "88.101"]


def _orgnrs(start: int, count: int) -> list[str]:
    from stdnum.no import orgnr as orgnr_check

    out, base = [], start
    while len(out) < count:
        stem = str(base)
        base += 1
        valid = [stem + d for d in "0123456789" if orgnr_check.is_valid(stem + d)]
        if valid:
            out.append(valid[0])
    return out


def generate() -> None:
    from django.db import connection, transaction

    from matching.models import Match, NeedMatchState
    from needs.models import Need, SurveyResponse, SurveyRound
    from offers.models import Offer
    from portal.models import CompetenceArea, Municipality, Organisation

    if "--regenerate" not in sys.argv and Need.objects.count() >= NEEDS:
        print(f"reusing the {Need.objects.count()} needs already in the database")
        return
    rng = random.Random(2026)
    with transaction.atomic():
        Match.objects.all().delete()
        Need.objects.all().delete()
        SurveyResponse.objects.all().delete()
        SurveyRound.objects.all().delete()
        Offer.objects.all().delete()
        Organisation.objects.filter(orgnr__startswith="98").delete()
        munis = list(Municipality.objects.filter(in_region=True))
        weights = [4, 1, 2, 1, 1, 1, 1.5, 3][: len(munis)]
        areas = list(CompetenceArea.objects.filter(is_active=True))
        rounds = [SurveyRound.objects.create(name=f"Benchmark {year}", year=year,
                                             opens_on=opens, closes_on=closes)
                  for year, opens, closes in ROUNDS]
        orgs = Organisation.objects.bulk_create([
            Organisation(orgnr=number, name=f"Benchmark-bedrift {i}",
                         kind=Organisation.Kind.BUSINESS,
                         municipality=rng.choices(munis, weights)[0],
                         industry_code=rng.choice(INDUSTRIES),
                         employees=rng.choice([2, 3, 4, 6, 8, 12, 15, 25, 40, 70]))
            for i, number in enumerate(_orgnrs(98_000_000, BUSINESSES))], batch_size=2000)
        provider = Organisation.objects.create(orgnr=_orgnrs(98_900_000, 1)[0],
                                               name="Benchmark-leverandør",
                                               kind=Organisation.Kind.PROVIDER)
        offers = Offer.objects.bulk_create([
            Offer(provider=provider, external_id=f"BAROMETER-{i}", title=f"Kurs {i}",
                  level="course", format="online", status=Offer.Status.PUBLISHED)
            for i in range(40)])
        responses, needs = [], []
        per_round = [NEEDS * share // 10 for share in (3, 3, 4)]
        for survey_round, count in zip(rounds, per_round, strict=True):
            active = rng.sample(orgs, k=min(len(orgs), count // 3 + 200))
            for org in active:
                responses.append(SurveyResponse(
                    organisation=org, round=survey_round, status="submitted",
                    overall_need=rng.choice(["none", "some", "some", "large"]),
                    measures=rng.sample(["train_staff", "recruit_norway", "recruit_abroad",
                                         "hire_in"], rng.randint(1, 2)),
                    barriers=rng.sample(["time", "cost", "no_offer", "distance", "dont_know"],
                                        rng.randint(0, 3))))
            for _ in range(count):
                org = rng.choice(active)
                needs.append(Need(
                    organisation=org, round=survey_round, area=rng.choice(areas),
                    title="Benchmark", participants=rng.randint(1, 8),
                    level=rng.choice(["course", "course", "trade_certificate",
                                      "vocational_college", "higher_education", ""]),
                    formats=["online"], consequence=rng.choice(
                        ["lost_orders", "safety_risk", "regulatory", "cannot_recruit", ""]),
                    status=rng.choice(["submitted", "in_brokering", "covered"])))
        SurveyResponse.objects.bulk_create(responses, batch_size=2000)
        created = Need.objects.bulk_create(needs, batch_size=2000)
        matches, states = [], []
        now = dt.datetime.now(dt.UTC)
        for need in created:
            roll = rng.random()
            if roll < 0.25:
                matches.append(Match(need=need, offer=rng.choice(offers), score=75,
                                     status=rng.choice(["accepted", "enrolled"])))
            states.append(NeedMatchState(need=need, matched_at=now,
                                         best_score=rng.uniform(10, 95)))
        Match.objects.bulk_create(matches, batch_size=2000)
        NeedMatchState.objects.bulk_create(states, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("needs_need", "needs_surveyresponse", "matching_match",
                          "matching_needmatchstate", "portal_organisation"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"generated {len(created)} needs, {len(responses)} answers, {len(matches)} "
          f"accepted/enrolled matches from {len(orgs)} businesses in {len(rounds)} rounds")


def timed(client, url: str, label: str, target: float | None = None, *, before=None,
          n: int = N) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        if before:
            before()
        assert client.get(url).status_code == 200
    timings, cpu = [], []
    for _ in range(n):
        if before:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    report(label, timings, cpu, target, n=n, queries=len(queries.captured_queries))


def report(label: str, timings: list[float], cpu: list[float], target: float | None, *, n: int,
           queries: int | None = None) -> None:
    timings = sorted(timings)
    median = statistics.median(timings)
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    verdict = ""
    if target is not None:
        verdict = (f" (target: median < {target:.0f} ms) -> "
                   f"{'OK' if median < target else 'SLOW'}")
    sql = f", {queries} SQL queries" if queries is not None else ""
    print(f"{label}, N={n}: median {median:.1f} ms, p95 {p95:.1f} ms, CPU median "
          f"{statistics.median(cpu):.1f} ms{sql}{verdict}", flush=True)


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache as django_cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from matching.barometer import cache, pages
    from needs.models import Need, SurveyRound
    from portal.models import User

    # As in production (a worker refreshes the figures after each change); the refresh runs
    # here, in this process, where the benchmark says so.
    settings.BAROMETER_REFRESH_IN_BACKGROUND = True
    call_command("migrate", verbosity=0)
    generate()
    print(f"database: {connection.vendor}; needs: {Need.objects.count()}; "
          f"rounds: {len(ROUNDS)}; {load()}", flush=True)
    adviser_client = _adviser(User, "bench-adviser@fylke.no", "--all-municipalities")
    scoped_client = _adviser(User, "bench-vinje@fylke.no", "--municipality", "4036")
    public = Client()
    rounds = list(SurveyRound.objects.order_by("opens_on").values_list("pk", flat=True))
    open_round = rounds[-1]

    def pending(round_id=open_round):
        """A change committed whose refresh the worker has not finished yet."""
        django_cache.set(cache.QUEUED_KEY, time.time())  # the worker holds the queued one
        cache.invalidate(round_id)

    def refreshed(round_id=open_round):
        """A change, and the worker's refresh after it."""
        pending(round_id)
        pages.refresh()

    wall, cpu = [], []
    for _ in range(5):
        pending()
        t0, c0 = time.perf_counter(), time.process_time()
        pages.refresh()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    report("background refresh after a need in the open round changed (figures ready this "
           "long after the change)", wall, cpu, None, n=5)
    wall, cpu = [], []
    for _ in range(3):
        pending(None)
        t0, c0 = time.perf_counter(), time.process_time()
        pages.refresh()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    report("background refresh after a shared change (every round protected again)", wall,
           cpu, None, n=3)

    dashboard = reverse("matching:barometer")
    timed(adviser_client, dashboard, "adviser dashboard right after a change (refresh pending: "
          "the last snapshot)", 300, before=pending)
    timed(adviser_client, dashboard, "adviser dashboard, first view after the refresh", 300,
          before=refreshed, n=7)
    timed(adviser_client, dashboard, "adviser dashboard (cached)", 300)
    timed(adviser_client, dashboard + "?municipality=4036&area=reiseliv",
          "adviser dashboard with filters, first view in a new snapshot (computed from its "
          "data)", 300, before=refreshed, n=7)
    timed(scoped_client, dashboard, "adviser dashboard of a municipality's adviser, first "
          "view after the refresh", 300, before=refreshed, n=7)
    timed(scoped_client, dashboard + "?area=reiseliv", "the same with a filter, first view in "
          "a new snapshot (computed from its data)", 300, before=refreshed, n=7)
    page = reverse("barometer:public")
    timed(public, page, "public page right after a change (refresh pending)", 100,
          before=pending)
    timed(public, page, "public page, first view after the refresh", 100, before=refreshed,
          n=7)
    timed(public, page, "public page (cached)", 100)
    timed(public, page + "?municipality=4036", "public page, one municipality, first view "
          "after the refresh", 100, before=refreshed, n=7)
    timed(public, page + f"?round={rounds[0]}", "public page, an earlier round, first view "
          "in a new snapshot (rendered from its releases)", 100, before=refreshed, n=7)
    timed(public, reverse("barometer:data_csv"), "open data CSV right after a change",
          before=pending)
    timed(public, reverse("api-barometer"), "open data API, all rows, right after a change",
          before=pending)
    print(f"done; {load()}", flush=True)


def _adviser(User, email: str, *options: str):
    from django.core.management import call_command
    from django.test import Client

    call_command("createadviser", email, *options, verbosity=0,
                 stdout=open(os.devnull, "w"))  # noqa: SIM115
    adviser = User.objects.get(email=email)
    if not adviser.authenticator_set.exists():
        # Adviser rights need a second factor (an authenticator app), as for every adviser.
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(adviser, generate_totp_secret())
    client = Client()
    client.force_login(adviser)
    return client


if __name__ == "__main__":
    main()
