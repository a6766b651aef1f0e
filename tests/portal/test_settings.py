"""Settings bugs that the seams hid: private uploads, persistent connections, `?format=`."""

import importlib
import os
import subprocess
import sys

import pytest
from django.urls import clear_url_caches, reverse
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings):
    """The root URLconf as `make run` builds it: with DEBUG on."""
    import portal.urls

    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(portal.urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(portal.urls)


def test_an_uploaded_file_is_not_reachable_by_url_with_debug_on(client, settings, debug_urls):
    assert settings.MEDIA_URL == "/media/"
    folder = settings.MEDIA_ROOT / "needs" / "imports" / "2026" / "12"
    folder.mkdir(parents=True)
    (folder / "svar.csv").write_text("orgnr;navn\n923609016;Hemmelig AS\n")
    for url in ("/needs/imports/2026/12/svar.csv", "/media/needs/imports/2026/12/svar.csv"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Hemmelig" not in response.content
    # Nothing catches every path any more, so /favicon.ico reaches its redirect.
    assert client.get("/favicon.ico").status_code == 301


def test_production_keeps_checked_database_connections(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "kompetanse.example.no",
           "REDIS_URL": "redis://127.0.0.1:6379/0",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("CONN_MAX_AGE", None)
    code = ("import django; django.setup(); from django.conf import settings; "
            "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["60", "True"]


def test_compose_sets_persistent_connections():
    from tests.portal.test_deployment import COMPOSE

    for name in ("web", "worker", "beat"):
        assert "CONN_MAX_AGE" in COMPOSE["services"][name]["environment"]


def test_format_query_parameter_filters_offers():
    factories.OfferFactory(title="Nettkurs", format="online", municipality=None)
    factories.OfferFactory(title="Kurs i Seljord", format="local")
    api = APIClient()
    response = api.get(reverse("api-offers"), {"format": "online"})
    assert response.status_code == 200
    assert [o["title"] for o in response.json()["results"]] == ["Nettkurs"]
    assert api.get(reverse("api-offers"), {"format": "paper"}).status_code == 400
    # The renderer can still be chosen, under its new name.
    assert api.get(reverse("api-offers"), {"response_format": "json"}).status_code == 200
