"""Static files in production: content-hashed names (the manifest) served with far-future
caching, so a browser asks for portal.css once per version, never per page."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware


@pytest.fixture
def collected(settings, tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "portal.css").write_text("body { color: #111; }\n" * 200)
    settings.DEBUG = False
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.templatetags.static import static

    return static("css/portal.css")


def _serve(url: str):
    middleware = WhiteNoiseMiddleware(lambda request: pytest.fail(f"{url} reached Django"))
    return middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))


def test_hashed_static_files_are_cached_for_a_year_or_more(collected):
    assert collected != "/static/css/portal.css"  # the manifest gave it a content hash
    response = _serve(collected)
    assert response.status_code == 200
    control = response["Cache-Control"]
    assert "immutable" in control and "public" in control
    assert int(control.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
    assert response["Content-Encoding"] == "gzip"  # compressed once, at collectstatic


def test_unhashed_name_is_only_cached_briefly(collected):
    response = _serve("/static/css/portal.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
