"""gunicorn settings for the portal: `gunicorn -c python:portal.gunicorn_config portal.wsgi`.

Chosen by measuring (`make bench-load`, README "Load benchmark"): on a 2-core machine gthread
workers (2 processes × 4 threads) beat sync workers, because a page spends part of its time
waiting for PostgreSQL and Redis, and a thread waiting on a socket lets another thread use
the core; with persistent database connections each thread keeps one connection open.
Every value can be overridden from the environment (GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_WORKER_CLASS, GUNICORN_BIND, ...), which is how the benchmark compares them.
"""

from __future__ import annotations

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# One process per core: the threads, not more processes, cover the waits on the database.
workers = _int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count()))
threads = _int("GUNICORN_THREADS", 4)
# Keep-alive lets a browser (or the proxy in front) reuse its connection for the page's
# static files; only gthread workers honour it.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Recycle workers now and then so a slow leak in a library cannot grow without bound; the
# jitter keeps them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load the application once in the master, then fork: workers start faster and share memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The container's /tmp may be a slow overlay; the heartbeat files go to shared memory.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# Garbage collection: freezing what the master loaded (settings, URLconf, templates,
# translations) takes those objects out of every later collection and keeps their memory pages
# shared between the forked workers. Python's thresholds stay: a first threshold of 50 000
# saved about a fifth of the CPU per page in-process, but under load (`make bench-load`) it made
# the logged-in pages' p95 worse (a collection of 50 000 objects holds the GIL for the other
# threads), see README "Serving under load". GUNICORN_GC_THRESHOLD="50000,20,100" sets them.
_gc_threshold = os.environ.get("GUNICORN_GC_THRESHOLD", "").strip()
gc_threshold = tuple(int(part) for part in _gc_threshold.split(",")) if _gc_threshold else None


def pre_fork(server, worker):
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    if gc_threshold:
        gc.set_threshold(*gc_threshold)
