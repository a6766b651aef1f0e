"""Where each page of the load mix spends its time: SQL queries and in-process time.

    .venv/bin/python bench/load_profile.py [--page "adviser queue"] [--pyinstrument]

Runs against the load benchmark's database (build it first with `make bench-load`), in this
process, through Django's test client with the production settings: for every page the
number of SQL queries, their time, and the median wall and CPU time of 5 requests (CPU time
is steadier on a shared machine); with --cold, of a request that finds nothing in the
shared cache (a public page's miss); with --pyinstrument, the
call tree of the named page (or of every page).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_pages import PAGES, SEARCHES, SERVER_ENV, _collectstatic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", action="append", default=[])
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print each query and its time")
    parser.add_argument("--cold", action="store_true",
                        help="empty the shared cache before each request: what a miss costs")
    args = parser.parse_args()
    os.environ.update(SERVER_ENV)
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    import django

    django.setup()
    import load_data
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from load_paths import path_for

    _collectstatic(settings)  # the manifest storage of the production settings needs it
    # Collect garbage as a gunicorn worker does (portal/gunicorn_config.py).
    from portal import gunicorn_config

    gunicorn_config.pre_fork(None, None)
    gunicorn_config.post_fork(None, None)
    targets = load_data.sessions(settings.SESSION_ENGINE)
    targets.update(searches=SEARCHES, api_offer_queries=[""])
    targets["barometer_url"] = reverse("barometer:public")
    rng = random.Random(7)
    pages = args.page or [*PAGES, "barometer"]
    print(f"{'page':<17} {'queries':>7} {'sql ms':>7} {'median ms':>9} {'cpu ms':>7}  path")
    for page in pages:
        role = PAGES.get(page, ("anonymous",))[0]
        identity = targets["sessions"][role][0] if role != "anonymous" else {}
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="nb")
        if identity:
            client.cookies[settings.SESSION_COOKIE_NAME] = identity["session"]
        path = path_for(page, identity, targets, rng)
        client.get(path)  # warm: imports, templates
        spent: list[float] = []

        def timed(execute, sql, params, many, context, spent=spent):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append(time.perf_counter() - started)
                if args.sql:
                    print(f"    {spent[-1] * 1000:7.1f} ms  {sql[:300]}")

        with connection.execute_wrapper(timed):
            response = client.get(path)
        queries, sql_ms = spent, sum(spent) * 1000
        timings, cpu = [], []
        for _ in range(5):
            if args.cold:
                cache.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"{page:<17} {len(queries):7d} {sql_ms:7.1f} {statistics.median(timings):9.1f} "
              f"{statistics.median(cpu):7.1f}  {path} -> {response.status_code}", flush=True)
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(3):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
