"""Load benchmark: the portal under gunicorn with the production settings, 20 simulated users.

    .venv/bin/python bench/load_pages.py [--users 20] [--mix-seconds 30] [--ceiling-seconds 8]
        [--solo-seconds 4] [--no-solo] [--worker-class gthread] [--workers 2] [--threads 4]
        [--regenerate]

1. Creates and migrates its own PostgreSQL database (LOAD_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/kp_bench_load) and builds the data set once
   (`bench/load_data.py`: 10 000 needs, 2 000 businesses, 3 rounds, 5 000 offers from 60
   providers, ~100 000 matches, cohorts); later runs reuse it.
2. Starts gunicorn (`portal/gunicorn_config.py`, production settings, persistent database
   connections, Redis cache and broker at LOAD_REDIS_URL, default db 7) on a free loopback
   port, and drives it with locust, headless (`bench/load_locustfile.py`), in one run:
   the ceiling (`/healthz`, one `SELECT 1` through the whole middleware stack), the mix of
   what people do, then each page alone for a few seconds.
3. Prints per page: p50/p95/p99 and requests/s in the mix, errors, the page's own throughput
   alone and its share of the ceiling, against the targets (p95 < 200 ms; logged-in pages at
   15 % of the ceiling or more, public pages at 50 % or more; zero errors).
Everything is bounded: each phase has a fixed duration and locust a hard run-time limit.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/kp_bench_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CELERY_BROKER_URL": REDIS_URL,
    "SECRET_KEY": "load-benchmark-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",  # loopback HTTP; the proxy would terminate TLS
    "CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
    # All simulated users share one loopback address: the per-IP rate limit of the API would
    # answer the public API lists with 429s, which a real public's many addresses do not see.
    "API_RATE_ANONYMOUS": "1000000/min",
    "API_RATE_USER": "1000000/min",
}

# page -> who visits it and how often, within that role's share of the mix.
PAGES = {
    "home": ("anonymous", 2), "catalogue": ("anonymous", 3),
    "catalogue search": ("anonymous", 6), "offer page": ("anonymous", 6),
    "API offers": ("anonymous", 2),
    "business needs": ("business", 3), "survey step": ("business", 4),
    "need detail": ("business", 2), "proposals": ("business", 2),
    "provider offers": ("provider", 3), "cohort requests": ("provider", 2),
    "dashboard": ("adviser", 1), "adviser queue": ("adviser", 4),
    "match detail": ("adviser", 3), "cohorts": ("adviser", 2), "cohort detail": ("adviser", 2),
    "adviser needs": ("adviser", 2), "API needs": ("adviser", 1), "API matches": ("adviser", 1),
    "API cohorts": ("adviser", 1),
}
# Of 20 users: half browse the catalogue anonymously, the others are logged in; interleaved
# in spawn order, because the users who connect together tend to land on the same gunicorn
# worker (see REQUESTS_PER_CONNECTION in load_locustfile.py).
ROLES = ["anonymous", "business", "anonymous", "adviser", "anonymous", "provider",
         "anonymous", "business", "anonymous", "adviser"] * 2
SEARCHES = [
    "q=sveising&level=course&format=local", "q=motorsag", "area=skog&municipality=4036",
    "q=f%C3%B8rstehjelp&sort=start", "area=helse&level=vocational_college",
    "municipality=4026&distance_km=50", "q=elsikkerhet&online_only=on", "max_price=5000",
    "area=reiseliv&start_month=" + time.strftime("%Y-%m"), "q=regnskap&page=2", "page=3",
]
API_OFFER_QUERIES = ["", "area=bygg", "q=truck", "level=course&online_only=true"]
P95_TARGET_MS = 200.0
SHARE_TARGET = {"anonymous": 0.50}  # public pages; logged-in pages: 15 %
SHARE_TARGET_LOGGED_IN = 0.15
SOLO_MAX_FACTOR = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(regenerate: bool) -> dict:
    os.environ.update(SERVER_ENV)
    import load_data
    from setup_database import ensure_database

    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse

    call_command("migrate", verbosity=0)
    load_data.generate(force=regenerate)
    _collectstatic(settings)
    targets = load_data.sessions(settings.SESSION_ENGINE)
    targets.update(searches=SEARCHES, api_offer_queries=API_OFFER_QUERIES)
    pages = dict(PAGES)
    for name in ("barometer:public", "barometer:index", "barometer"):
        try:
            targets["barometer_url"] = reverse(name)
        except NoReverseMatch:
            continue
        pages["barometer"] = ("anonymous", 3)
        break
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no page cached from an earlier run
    from django.db import connections

    connections.close_all()
    return {"targets": targets, "pages": pages}


def _collectstatic(settings) -> None:
    """The manifest storage needs collected files; collect again only when static/ changed."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def start_server(args, port: int, log) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV, "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKER_CLASS": args.worker_class, "GUNICORN_WORKERS": str(args.workers),
           "GUNICORN_THREADS": str(args.threads), "GUNICORN_ACCESS_LOG": "",
           "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_MAX_REQUESTS": "0"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:portal.gunicorn_config", "portal.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def plan(args, prepared: dict) -> dict:
    phases, until = [], 0.0

    def add(name: str, seconds: float, min_requests: int = 0, max_seconds: float = 0) -> None:
        nonlocal until
        until += max(seconds, max_seconds)  # the bound of the whole run
        phases.append({"name": name, "until": until, "seconds": seconds,
                       "min_requests": min_requests, "max_seconds": max(seconds, max_seconds)})

    add("ceiling", args.ceiling_seconds)
    add("mix", args.mix_seconds)
    if not args.no_solo:
        # A page alone runs until as many of its requests as there are users have answered
        # (at most SOLO_MAX_FACTOR times its time): its figure never rests on the requests of
        # the phase before, still running when it began.
        for page in prepared["pages"]:
            add(f"solo:{page}", args.solo_seconds, min_requests=args.users,
                max_seconds=args.solo_seconds * SOLO_MAX_FACTOR)
    pages = {name: {"role": role, "weight": weight}
             for name, (role, weight) in prepared["pages"].items()}
    return {"phases": phases, "pages": pages, "roles": ROLES, "targets": prepared["targets"]}


def run_locust(args, port: int, the_plan: dict, workdir: Path) -> dict:
    plan_file, results_file = workdir / "plan.json", workdir / "results.json"
    plan_file.write_text(json.dumps(the_plan), encoding="utf-8")
    total = the_plan["phases"][-1]["until"]
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_RESULTS": str(results_file)}
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load_locustfile.py"),
               "--headless", "-u", str(args.users), "-r", str(args.users),
               "--run-time", f"{int(total) + 15}s", "--stop-timeout", "10",
               "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "ERROR"]
    subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=total + 120,
                   stdout=subprocess.DEVNULL, stderr=workdir.joinpath("locust.log").open("w"))
    return json.loads(results_file.read_text(encoding="utf-8"))


def warm_up(port: int, the_plan: dict) -> None:
    """Each page once before the clock starts (imports, templates); fail fast on a broken one."""
    import random

    from load_paths import path_for

    rng = random.Random(1)
    targets = the_plan["targets"]
    broken = []
    for page, spec in the_plan["pages"].items():
        role = spec["role"]
        identity = targets["sessions"][role][0] if role != "anonymous" else {}
        path = path_for(page, identity, targets, rng)
        cookie = "csrftoken=" + "b" * 32
        if identity:
            cookie += f"; sessionid={identity['session']}"
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={
            "Cookie": cookie, "X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
        except Exception as exc:  # reported, and the run goes on: errors show in the table
            broken.append(f"{page} ({path}): {exc}")
    for line in broken:
        print(f"warm-up: {line}", flush=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q * len(ordered))) - 1))
    return ordered[k]


def closed_loop_rate(values: list[float], users: int) -> float:
    """Requests/s of `users` closed-loop users with no think time, by Little's law (users ÷
    mean response time): unlike a count over a few seconds it does not depend on how many
    slow requests of the phase before were still running when the phase began."""
    if not values:
        return 0.0
    return users / (sum(values) / len(values) / 1000)


def report(args, the_plan: dict, results: dict) -> None:
    latencies, errors = results["latencies"], results["errors"]
    seconds = {p["name"]: p["seconds"] for p in the_plan["phases"]}
    seconds.update(results.get("durations", {}))  # as long as each phase actually lasted

    def rate(phase: str, page: str) -> float:
        return len(latencies.get(f"{phase}|{page}", [])) / seconds[phase]

    ceiling = rate("ceiling", "healthz")
    ceiling_lat = latencies.get("ceiling|healthz", [])
    print(f"\nceiling: /healthz alone, {args.users} users: {ceiling:,.0f} req/s, "
          f"p50 {percentile(ceiling_lat, .5):.1f} ms, p95 {percentile(ceiling_lat, .95):.1f} ms, "
          f"errors {errors.get('ceiling|healthz', 0)}")
    mix_total = sum(rate("mix", page) for page in the_plan["pages"])
    print(f"gunicorn {args.worker_class}, {args.workers} workers × {args.threads} threads; "
          f"mix {args.mix_seconds:.0f} s: {mix_total:,.0f} req/s in all\n")
    header = (f"{'page':<17} {'who':<9} {'mix r/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} "
              f"{'err':>4} {'alone r/s':>9} {'share':>6}  verdict")
    print(header)
    print("-" * len(header))
    total_errors = sum(errors.values())
    for page, spec in the_plan["pages"].items():
        values = latencies.get(f"mix|{page}", [])
        p95 = percentile(values, .95)
        page_errors = errors.get(f"mix|{page}", 0) + (
            0 if args.no_solo else errors.get(f"solo:{page}|{page}", 0))
        verdict = []
        if p95 >= P95_TARGET_MS:
            verdict.append("p95")
        alone = share = None
        solo = latencies.get(f"solo:{page}|{page}", [])
        if not args.no_solo and not solo:
            verdict.append("no solo figure")  # not a single answer within the bound
        elif not args.no_solo:
            alone = closed_loop_rate(solo, args.users)
            share = alone / ceiling if ceiling else 0.0
            if share < SHARE_TARGET.get(spec["role"], SHARE_TARGET_LOGGED_IN):
                verdict.append("share")
        if page_errors:
            verdict.append("errors")
        alone_text = f"{alone:9.0f}" if alone is not None else f"{'-':>9}"
        share_text = f"{share:6.1%}" if share is not None else f"{'-':>6}"
        print(f"{page:<17} {spec['role']:<9} {rate('mix', page):7.1f} "
              f"{percentile(values, .5):6.0f} {p95:6.0f} {percentile(values, .99):6.0f} "
              f"{page_errors:4d} {alone_text} {share_text}  "
              f"{'OK' if not verdict else 'MISS ' + ','.join(verdict)}")
    print(f"\nerrors in all: {total_errors} (target 0); latencies in ms; share = the page's "
          f"requests/s alone ÷ the ceiling's; targets: p95 < {P95_TARGET_MS:.0f} ms, public "
          f"pages ≥ 50 %, logged-in pages ≥ 15 %")
    for name, sample in sorted(results.get("error_samples", {}).items()):
        print(f"  first error in {name}: {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--ceiling-seconds", type=float, default=8)
    parser.add_argument("--mix-seconds", type=float, default=30)
    parser.add_argument("--solo-seconds", type=float, default=4)
    parser.add_argument("--no-solo", action="store_true", help="skip the page-alone phases")
    parser.add_argument("--worker-class", default=os.environ.get("GUNICORN_WORKER_CLASS",
                                                                 "gthread"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS",
                                                                          "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS",
                                                                          "4")))
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    prepared = prepare(args.regenerate)
    the_plan = plan(args, prepared)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="kp-load-") as tmp:
        workdir = Path(tmp)
        log = workdir.joinpath("gunicorn.log").open("w")
        server = start_server(args, port, log)
        try:
            warm_up(port, the_plan)
            results = run_locust(args, port, the_plan, workdir)
        finally:
            stop_server(server)
            log.close()
        tail = workdir.joinpath("gunicorn.log").read_text(errors="replace").strip()
        if "Traceback" in tail or "ERROR" in tail:
            print("gunicorn log (last lines):\n" + "\n".join(tail.splitlines()[-15:]))
    report(args, the_plan, results)


if __name__ == "__main__":
    main()
