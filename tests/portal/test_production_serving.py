"""Production serving: persistent database connections, cached sessions, the gunicorn config."""

import gc
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.SESSION_ENGINE, "
    "s.STORAGES['staticfiles']['BACKEND']]))"
)


def _production(tmp_path, **extra) -> list:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "kompetanse.example.no",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
           "REDIS_URL": "redis://127.0.0.1:6379/0"}
    env.pop("CONN_MAX_AGE", None)
    env.update(extra)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", PRINT_SETTINGS],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_connections_and_reads_sessions_from_the_cache(tmp_path):
    max_age, health_checks, sessions, storage = _production(tmp_path)
    assert max_age >= 60 and health_checks is True
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert _production(tmp_path, CONN_MAX_AGE="0")[0] == 0


def test_gunicorn_config_defaults_to_threads_and_reads_the_environment(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    import portal.gunicorn_config as config

    config = importlib.reload(config)
    assert config.worker_class == "gthread"
    assert config.workers >= 2 and config.threads == 4
    assert config.bind == "0.0.0.0:8000" and config.timeout > 0
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "sync")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = importlib.reload(config)
    assert (config.worker_class, config.workers) == ("sync", 3)


def test_gunicorn_workers_keep_pythons_gc_thresholds_unless_told(monkeypatch):
    import portal.gunicorn_config as config

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        monkeypatch.delenv("GUNICORN_GC_THRESHOLD", raising=False)
        importlib.reload(config).post_fork(None, None)
        assert gc.get_threshold() == (700, 10, 10)
        monkeypatch.setenv("GUNICORN_GC_THRESHOLD", "50000,20,100")
        importlib.reload(config).post_fork(None, None)
        assert gc.get_threshold() == (50000, 20, 100)
    finally:
        gc.set_threshold(*saved)
        importlib.reload(config)
