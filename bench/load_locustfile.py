"""Simulated portal users for `bench/load_pages.py` (locust, headless). Not run on its own.

The plan (a JSON file named by LOAD_PLAN) lists phases: the ceiling (`/healthz` only),
the mix (each simulated user plays one role and picks that role's pages at random, by weight),
then one short phase per page with every user on that page alone (its throughput on its own,
compared with the ceiling). A page's phase runs on, within a bound, until enough of its own
requests have answered (see `_phase`). Every request is recorded with the phase it started in;
the results (latencies per phase and page, how long each phase lasted) are written to
LOAD_RESULTS when locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path

import gevent
from load_paths import path_for
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
TARGETS = PLAN["targets"]
PAGES = PLAN["pages"]  # name -> {"role": ..., "weight": ...}
ROLE_OF_USER = PLAN["roles"]  # one role per simulated user, in spawn order
# A fixed CSRF secret: a returning visitor's browser has one, so the server does not mint a
# cookie per request. Thirty-two letters, as Django's own.
CSRF_COOKIE = "csrftoken=" + "b" * 32
LANGUAGES = ["nb"] * 7 + ["nn"] * 2 + ["en"]
# A browser keeps its connection for a few pages in a row, and loses it while its reader
# dwells on a page for longer than the server's keep-alive (5 s). Simulated users have no
# dwell time; without this they would keep one connection, on one gunicorn worker, for the
# whole run, and the table would show which users happened to share a worker.
REQUESTS_PER_CONNECTION = 5

_records: dict[str, list[float]] = {}
_errors: dict[str, int] = {}
_error_samples: dict[str, str] = {}
_done: dict[str, int] = {}  # phase -> requests started in it that have answered
_durations: dict[str, float] = {}  # phase -> how long it actually lasted
_state = {"index": 0, "since": None}
_counter = itertools.count()


def _phase(now: float) -> str | None:
    """The current phase. A phase lasts its `seconds`, and longer (up to `max_seconds`)
    until `min_requests` of the requests started in it have answered: on a busy machine a
    page's requests can outlast a short phase, which would leave it with no figure at all."""
    phases = PLAN["phases"]
    while _state["index"] < len(phases):
        phase = phases[_state["index"]]
        elapsed = now - _state["since"]
        enough = _done.get(phase["name"], 0) >= phase.get("min_requests", 0)
        if elapsed < phase["seconds"] or (not enough and elapsed < phase.get(
                "max_seconds", phase["seconds"])):
            return phase["name"]
        _durations[phase["name"]] = elapsed
        _state["index"] += 1
        _state["since"] = now
    if not _state.get("quitting"):
        # The plan is done: end the run now rather than at locust's run-time bound.
        _state["quitting"] = True
        gevent.spawn_later(0.2, _state["environment"].runner.quit)
    return None


@events.test_start.add_listener
def _on_start(environment, **_kwargs):
    _state["since"] = time.monotonic()
    _state["environment"] = environment


@events.quitting.add_listener
def _on_quit(environment, **_kwargs):
    with open(os.environ["LOAD_RESULTS"], "w", encoding="utf-8") as fh:
        json.dump({"latencies": _records, "errors": _errors, "error_samples": _error_samples,
                   "durations": _durations}, fh)


class PortalUser(FastHttpUser):
    wait_time = constant(0)  # closed loop: each user sends its next request when one answers
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self):
        self.number = next(_counter)
        self.sent = 0
        self.rng = random.Random(1000 + self.number)
        self.role = ROLE_OF_USER[self.number % len(ROLE_OF_USER)]
        self.identities = {role: TARGETS["sessions"][role][self.number % len(
            TARGETS["sessions"][role])] for role in ("business", "provider", "adviser")}
        self.language = LANGUAGES[self.number % len(LANGUAGES)]

    def _headers(self, role: str) -> dict:
        cookies = [CSRF_COOKIE]
        if role != "anonymous":
            cookies.append(f"sessionid={self.identities[role]['session']}")
        return {"Cookie": "; ".join(cookies), "Accept-Language": self.language,
                "X-Forwarded-Proto": "https"}

    @task
    def visit(self):
        phase = _phase(time.monotonic())
        if phase is None:
            raise StopUser()
        if phase == "ceiling":
            page, role = "healthz", "anonymous"
            path = "/healthz"
        else:
            if phase == "mix":
                role = self.role
                names = [n for n, p in PAGES.items() if p["role"] == role]
                page = self.rng.choices(names, [PAGES[n]["weight"] for n in names])[0]
            else:
                page = phase.split(":", 1)[1]
                role = PAGES[page]["role"]
            path = path_for(page, self.identities.get(role, {}), TARGETS, self.rng)
        name = f"{phase}|{page}"
        headers = self._headers(role)
        self.sent += 1
        if self.sent % REQUESTS_PER_CONNECTION == 0:
            headers["Connection"] = "close"
        started = time.perf_counter()
        ok, detail = True, ""
        try:
            with self.client.get(path, headers=headers, name=name,
                                 allow_redirects=False, catch_response=True) as response:
                if response.status_code != 200:
                    ok, detail = False, f"{response.status_code} {path}"
                    response.failure(detail)
                else:
                    response.success()
        except Exception as exc:  # a refused or reset connection is an error of the run
            ok, detail = False, f"{type(exc).__name__} {path}"
        elapsed_ms = (time.perf_counter() - started) * 1000
        _records.setdefault(name, []).append(elapsed_ms)
        _done[phase] = _done.get(phase, 0) + 1
        if not ok:
            _errors[name] = _errors.get(name, 0) + 1
            _error_samples.setdefault(name, detail)
