"""The production description stays consistent with the settings it feeds."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = "\n".join(
    p.read_text() for p in (ROOT / "portal" / "settings").glob("*.py")
)


def test_compose_runs_the_five_services_with_healthchecks_and_named_volumes():
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert {"postgres-data", "redis-data", "media"} <= set(COMPOSE["volumes"])
    assert "gunicorn" in services["web"]["command"] and "migrate" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]


def test_app_services_get_database_and_broker_and_every_variable_is_read_by_settings():
    for name in ("web", "worker", "beat"):
        environment = COMPOSE["services"][name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY"} <= set(environment)
    for variable in COMPOSE["services"]["web"]["environment"]:
        if variable == "DJANGO_SETTINGS_MODULE":
            continue
        assert re.search(rf'env(\.\w+)?\(\s*"{variable}"', SETTINGS_SOURCE), variable


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kompetanse.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_shared_redis(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kompetanse.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Production needs REDIS_URL" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_with_the_database_state(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_api_docs_load_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert urls and all(url.startswith("/") for url in urls), urls
