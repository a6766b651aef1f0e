"""Real Celery for tests: publish to the real Redis broker, and run a real worker process.

The worker is a subprocess of `celery -A portal worker` pointed at the same broker and at the
test database (so tests using it need committed rows: `django_db(transaction=True)`, and
PostgreSQL, since an in-memory SQLite test database cannot be shared with another process).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from portal.celery import app

ROOT = Path(__file__).resolve().parents[1]


def reset_pool() -> None:
    """Drops pooled broker connections so the next publish uses the current broker URL.

    kombu keeps its pools in a process-wide registry keyed by URL; closing one there without
    removing it would leave a closed pool behind for the next user of that URL."""
    import kombu.pools

    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    backend = app._local.__dict__.pop("backend", None)  # cached per thread too
    consumer = getattr(backend, "result_consumer", None)
    if consumer is not None and hasattr(consumer, "subscribed_to"):
        # A result collected later unsubscribes through its backend's consumer, retrying for
        # 20 s against a server that may be gone by then (a private Redis a test stopped).
        consumer.subscribed_to.clear()
        consumer.stop()


_SAME = object()


@contextmanager
def publishing_to(broker_url: str, result_backend=_SAME):
    """Tasks are sent to `broker_url` (not run eagerly) for the duration; results go to the
    same Redis unless another backend (or None) is given."""
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    backend = broker_url if result_backend is _SAME else result_backend
    app.conf.update(task_always_eager=False, broker_url=broker_url, result_backend=backend)
    reset_pool()
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend = saved
        reset_pool()


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    return (f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
            f"{s['NAME']}")


@contextmanager
def running_worker(broker_url: str, *, concurrency: int = 1, timeout: float = 60.0,
                   db_url: str | None = None):
    """A real worker process consuming from `broker_url`; yields its node name."""
    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url,
           "DATABASE_URL": db_url or database_url(), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(ROOT / f".worker-{node.split('@')[0]}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-n", node,
         "--concurrency", str(concurrency), "--pool", "solo" if concurrency == 1 else "prefork",
         "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        with publishing_to(broker_url):
            deadline = time.monotonic() + timeout
            while not app.control.ping(destination=[node], timeout=1.0):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start; see {log.name}")
            yield node
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if not os.environ.get("KP_KEEP_WORKER_LOGS"):
            Path(log.name).unlink(missing_ok=True)


def wait_for(condition, *, timeout: float = 60.0, interval: float = 0.3):
    """Polls until `condition()` is truthy (a deadline for the test, not a speed target)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met before the deadline")
