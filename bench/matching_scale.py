"""Benchmark: the matching engine at national scale, on PostgreSQL.

    .venv/bin/python bench/matching_scale.py [--needs 100000] [--offers 20000] [--regenerate]
                                              [--skip-celery | --celery-only]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kp_bench_matching), creates and
migrates it, and generates once a national data set: 350 municipalities, ~30 000 businesses
and ~1 500 providers, needs and published offers over the whole taxonomy (COPY, not the ORM).
Then it prints:
  1. a full re-match (all needs × all live offers, text similarity included, top 10 written),
     split into loading / scoring / writing, pairs considered and pairs per second, cold and
     again with the matches stored; then the incremental nightly run (engine/nightly.py) the
     next day (nothing changed) and three days on (offers whose deadline passed drop out);
  2. one new need against all offers: median and p95 of 200 `match_need` calls;
  3. a naive all-pairs Python loop (`score_pair_naive`) on a 1 000 × 1 000 sample against the
     vectorised path on the same sample, and the speed-up;
  4. the fanned-out `rematch_all` through real Celery workers (1, then 2 worker processes)
     over Redis (TEST_REDIS_URL's server, database 13), until the chord's last step (the
     cohort rebuild) is done, and the cohort rebuild alone;
  5. peak memory of this process.
Targets on the 2-core reference machine: cold full re-match < 45 s, nightly run < 10 s,
one need p95 < 100 ms, peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from setup_database import ensure_database  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench_matching")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.pop("REDIS_URL", None)

MUNICIPALITIES = 350
BUSINESSES = 30_000
PROVIDERS = 1_500
SEED = 2026


def copy_rows(model, rows: list[dict]) -> None:
    """COPY plain dicts into a model's table, filling each omitted field with its default."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key or
              f.name in (rows[0] if rows else {})]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as wrapper, wrapper.cursor.copy(
            f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row.get(f.attname, row.get(f.name, defaults[f.attname]))
                if value is None and f.get_internal_type() == "DateTimeField" and not f.null:
                    value = now
                if isinstance(value, dict | list):
                    value = json.dumps(value)
                values.append(value)
            copy.write_row(values)


def generate(n_needs: int, n_offers: int) -> None:
    import numpy as np
    from django.db import connection, transaction

    from matching.models import Match, NeedMatchState, OfferMatchState
    from needs.models import Need
    from offers.models import Offer
    from portal.models import CompetenceArea, Municipality, Organisation

    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (Match, NeedMatchState, OfferMatchState, Need, Offer.areas.through,
                          Offer):
                cursor.execute(f'TRUNCATE "{model._meta.db_table}" CASCADE')
            cursor.execute("DELETE FROM portal_organisation WHERE orgnr LIKE 'B%%' "
                           "OR orgnr LIKE 'P%%'")
            cursor.execute("DELETE FROM portal_municipality WHERE code LIKE '9%%'")
        have = Municipality.objects.count()
        copy_rows(Municipality, [
            {"code": f"9{i:03d}", "name": f"Kommune {i}", "county_code": "99",
             "latitude": float(rng.uniform(58.0, 70.5)),
             "longitude": float(rng.uniform(5.0, 30.0)), "in_region": False}
            for i in range(MUNICIPALITIES - have)])
        muni_ids = np.array(Municipality.objects.values_list("pk", flat=True))
        copy_rows(Organisation, [
            {"orgnr": f"B{i:08d}", "name": f"Bedrift {i} AS", "kind": "business",
             "municipality_id": int(rng.choice(muni_ids)), "employees": int(rng.integers(1, 51)),
             "industry_standard": "SN2007"} for i in range(BUSINESSES)] + [
            {"orgnr": f"P{i:08d}", "name": f"Kursleverandør {i}", "kind": "provider",
             "municipality_id": int(rng.choice(muni_ids)), "industry_standard": "SN2007"}
            for i in range(PROVIDERS)])
        businesses = np.array(Organisation.objects.filter(orgnr__startswith="B")
                              .values_list("pk", flat=True))
        providers = np.array(Organisation.objects.filter(orgnr__startswith="P")
                             .values_list("pk", flat=True))
        areas = list(CompetenceArea.objects.values_list("pk", "code", "label_nb", "synonyms"))
        levels = ["course", "course", "course", "trade_certificate", "vocational_college",
                  "higher_education"]
        formats = ["local", "campus", "online", "blended", "workplace"]
        today = dt.date.today()

        def words(area) -> str:
            synonyms = [s for s in area[3].split(";") if s]
            picked = rng.choice(synonyms, size=min(2, len(synonyms)), replace=False) \
                if synonyms else []
            return " ".join([area[2], *picked])

        offer_rows = []
        for i in range(n_offers):
            area = areas[int(rng.integers(len(areas)))]
            start = today + dt.timedelta(days=int(rng.integers(10, 400)))
            offer_rows.append({
                "provider_id": int(rng.choice(providers)), "external_id": f"X{i}",
                "title": f"{area[2]} – kurs {i % 97}", "description": words(area),
                "level": levels[int(rng.integers(len(levels)))],
                "format": formats[int(rng.integers(len(formats)))],
                "municipality_id": int(rng.choice(muni_ids)), "start_date": start,
                "end_date": start + dt.timedelta(days=int(rng.integers(1, 60))),
                "application_deadline": start - dt.timedelta(days=7),
                "price_nok": int(rng.choice([0, 2500, 4500, 9000, 15000, 30000])),
                "min_participants": 6, "max_participants": int(rng.choice([8, 12, 20, 30])),
                "on_demand": bool(rng.random() < 0.2), "status": "published",
                "language": "nb", "hours": 16})
        copy_rows(Offer, offer_rows)
        offer_ids = list(Offer.objects.order_by("pk").values_list("pk", flat=True))
        by_label = {a[2]: a[0] for a in areas}
        offer_area = [{"offer_id": oid, "competencearea_id": by_label[row["title"].split(" – ")[0]]}
                      for oid, row in zip(offer_ids, offer_rows, strict=True)]
        copy_rows(Offer.areas.through, offer_area)

        need_rows = []
        for i in range(n_needs):
            area = areas[int(rng.integers(len(areas)))]
            earliest = today + dt.timedelta(days=int(rng.integers(0, 200)))
            need_rows.append({
                "organisation_id": int(rng.choice(businesses)), "area_id": area[0],
                "title": area[2], "description": words(area),
                "participants": int(rng.integers(1, 12)), "to_train": 1, "to_recruit": 0,
                "level": ["", "course", "trade_certificate"][int(rng.integers(3))],
                "formats": list(rng.choice(formats, size=int(rng.integers(1, 4)), replace=False)),
                "earliest_start": earliest,
                "latest_start": earliest + dt.timedelta(days=int(rng.integers(30, 240))),
                "max_travel_km": int(rng.choice([20, 50, 100, 200])),
                "online_only": bool(rng.random() < 0.05),
                "budget_per_participant": int(rng.choice([3000, 8000, 20000])),
                "priority": "medium", "consequence": "other", "willing_to_share": True,
                "status": "submitted", "external_ref": f"N{i}"})
        copy_rows(Need, need_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {n_needs} needs, {n_offers} offers, {MUNICIPALITIES} municipalities "
          f"in {time.perf_counter() - started:.1f} s", flush=True)


def offer_subset(frame, idx):
    """The same offer frame restricted to rows `idx` (for the naive-loop sample)."""
    import dataclasses

    import numpy as np

    idx = np.sort(idx)
    remap = -np.ones(len(frame), dtype=np.int64)
    remap[idx] = np.arange(idx.size)
    keep = remap[frame.flat_offer] >= 0
    flat_offer = remap[frame.flat_offer[keep]].astype(np.int32)
    flat_top = frame.flat_top[keep]
    return dataclasses.replace(
        frame, ids=frame.ids[idx], level=frame.level[idx], format_bit=frame.format_bit[idx],
        municipality=frame.municipality[idx], start=frame.start[idx],
        on_demand=frame.on_demand[idx], price=frame.price[idx],
        max_participants=frame.max_participants[idx], vectors=frame.vectors[idx],
        flat_offer=flat_offer, flat_code=frame.flat_code[keep], flat_top=flat_top,
        flat_sub=frame.flat_sub[keep],
        by_top={int(t): np.unique(flat_offer[flat_top == t]) for t in np.unique(flat_top)},
        areas=[frame.areas[i] for i in idx], groups={})


def bench_naive(settings) -> None:
    import numpy as np

    from matching.engine import data, score_pair_naive
    from matching.engine.selection import select_top

    rng = np.random.default_rng(SEED)
    offers_all = data.offer_frame()
    offers = offer_subset(offers_all, rng.choice(len(offers_all), 1000, replace=False))
    ids = list(data.matchable_needs().order_by("?").values_list("pk", flat=True)[:1000])
    needs = data.load_need_frame(data.matchable_needs().filter(pk__in=ids),
                                 offers.municipalities)
    need_rows = [needs.row(i, offers) for i in range(len(needs))]
    offer_rows = [offers.row(j) for j in range(len(offers))]

    started = time.perf_counter()
    cpu = time.process_time()
    kept = 0
    for need in need_rows:
        scores = [score_pair_naive(need, offer, settings) for offer in offer_rows]
        kept += sum(1 for s in scores if s.valid)
    naive = time.perf_counter() - started
    naive_cpu = time.process_time() - cpu

    started = time.perf_counter()
    cpu = time.process_time()
    selection = select_top(needs, offers, settings)
    vectorised = time.perf_counter() - started
    vectorised_cpu = time.process_time() - cpu
    print(f"naive loop, 1 000 × 1 000 pairs: {naive:.2f} s ({kept} valid pairs); "
          f"vectorised path on the same sample: {vectorised * 1000:.1f} ms "
          f"({selection.pairs_considered} candidate pairs) → speed-up {naive / vectorised:.0f}×; "
          f"process CPU {naive_cpu:.2f} s against {vectorised_cpu * 1000:.1f} ms", flush=True)


def bench_celery(broker: str, db_url: str, workers: int) -> float:
    import subprocess

    from celery.result import AsyncResult

    from matching import tasks
    from portal.celery import app

    app.conf.update(task_always_eager=False, broker_url=broker, result_backend=broker)
    import redis

    redis.Redis.from_url(broker).flushdb()
    env = {**os.environ, "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker,
           "DATABASE_URL": db_url}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-n", f"bench{i}@%h",
         "--concurrency", "1", "--pool", "solo", "--without-gossip", "--without-mingle",
         "--loglevel", "WARNING"], cwd=ROOT, env=env) for i in range(workers)]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=1.0)) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not start")
        started = time.perf_counter()
        outcome = tasks.rematch_all.delay(chunk_size=5000).get(timeout=900)
        AsyncResult(outcome["finish_id"], app=app).get(timeout=900)
        return time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-celery", action="store_true")
    parser.add_argument("--celery-only", action="store_true",
                        help="only the fanned-out re-match through Celery workers")
    args = parser.parse_args()

    db_url = os.environ["DATABASE_URL"]
    ensure_database(db_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from matching.cohorts import cohorts_rebuild
    from matching.models import MatchingSettings
    from needs.models import Need

    if args.regenerate or Need.objects.count() != args.needs:
        generate(args.needs, args.offers)
    settings = MatchingSettings.current()

    if not args.celery_only:
        bench_engine(settings)
    if not args.skip_celery:
        redis_base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        broker = redis_base.rsplit("/", 1)[0] + "/13"
        for workers in (1, 2):
            seconds = bench_celery(broker, db_url, workers)
            print(f"rematch_all through Celery, {workers} worker process(es), chunks of 5 000 "
                  f"needs, then the cohort rebuild: {seconds:.1f} s", flush=True)
        started = time.perf_counter()
        rebuilt = cohorts_rebuild()
        print(f"cohort rebuild alone (nothing changed): {time.perf_counter() - started:.1f} s, "
              f"{rebuilt.cohorts} cohorts, {rebuilt.opportunities} opportunities", flush=True)

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"peak memory of the benchmark process: {usage.ru_maxrss / 1024:.0f} MB (target "
          f"< 2 048 MB); its CPU time in all: {usage.ru_utime + usage.ru_stime:.1f} s; {load()}")


def load() -> str:
    """The machine's load (the wall-clock figures mean little on a busy shared machine)."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def cpu_text(cpu: float) -> str:
    # This process only (all its threads): PostgreSQL's share of the work, COPY and index
    # upkeep, runs in server processes shared with other sessions and is not counted.
    return f"process CPU {cpu:.1f} s"


def bench_engine(settings) -> None:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from matching import engine
    from matching.engine import data

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE matching_match, matching_needmatchstate, matching_enginerun "
                       "CASCADE")
    for label in ("cold (no matches stored yet)", "full re-score (matches stored, nothing "
                  "changed)"):
        wall, cpu = time.perf_counter(), time.process_time()
        result = engine.match_needs()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"full re-match, {label}: {result.needs} needs × {result.offers} offers in "
              f"{wall:.1f} s (target < 45 s), {cpu_text(cpu)}, {load()}; "
              f"summed over chunks: loading "
              f"{result.seconds_loading:.1f} s, scoring {result.seconds_scoring:.1f} s, writing "
              f"{result.seconds_writing:.1f} s (writing overlaps scoring); "
              f"{result.pairs_considered / 1e6:.0f} M pairs considered "
              f"({result.pairs_considered / max(result.seconds_scoring, 1e-9) / 1e6:.1f} M "
              f"pairs/s while scoring), {result.matches_written} matches written", flush=True)
    today = timezone.localdate()
    for days, label in ((1, "nothing changed, no offer crossed a date"),
                        (4, "three days on: offers whose deadline passed drop out")):
        wall, cpu = time.perf_counter(), time.process_time()
        kind, result = engine.match_nightly(today=today + dt.timedelta(days=days))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"nightly run ({kind}), {label}: {wall:.1f} s (target < 10 s), "
              f"{cpu_text(cpu)}, {load()}; "
              f"{result.needs} needs re-scored, {result.matches_written} match rows written",
              flush=True)

    ids = list(data.matchable_needs().order_by("?").values_list("pk", flat=True)[:200])
    engine.match_need(need_id=ids[0])  # warm the offer cache, as a running worker has it
    times, cpus = [], []
    for need_id in ids:
        started, cpu = time.perf_counter(), time.process_time()
        engine.match_need(need_id=need_id)
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    times.sort()
    cpus.sort()
    print(f"one new need against all offers: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms (target p95 < 100 ms); process CPU "
          f"per call median {statistics.median(cpus):.1f} ms, p95 "
          f"{cpus[int(len(cpus) * 0.95) - 1]:.1f} ms; {load()}", flush=True)

    bench_naive(settings)


if __name__ == "__main__":
    main()
