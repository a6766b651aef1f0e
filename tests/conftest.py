"""Shared fixtures.

Tests that need the real PostgreSQL, Redis or a Celery worker are marked `services`. On a
developer machine without them they are skipped with a reason; under CI (`CI=true` or
`REQUIRE_SERVICES=1`) a missing service is an error, never a silent skip.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live server under Playwright


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def missing_service(reason: str) -> None:
    """Skip locally, fail loudly under CI."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    if not _reachable(TEST_REDIS_URL):
        missing_service(f"Redis not reachable at {TEST_REDIS_URL}")
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    return TEST_REDIS_URL


@pytest.fixture
def postgres_only(django_db_blocker):
    from django.db import connection

    if connection.vendor != "postgresql":
        missing_service("needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from portal.celery import app

    app.conf.task_always_eager = True
    # Rate limits (logins, API throttling) and single-use TOTP codes live in the cache too.
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()  # cached figures (the public barometer) never leak between tests


@pytest.fixture
def business(db):
    return factories.BusinessFactory()


@pytest.fixture
def provider(db):
    return factories.ProviderFactory()


@pytest.fixture
def business_user(business):
    return factories.member_of(business)


@pytest.fixture
def provider_user(provider):
    return factories.member_of(provider)


@pytest.fixture
def adviser_user(db):
    return factories.adviser()


@pytest.fixture
def business_client(client, business_user):
    client.force_login(business_user)
    return client


@pytest.fixture
def provider_client(client, provider_user):
    client.force_login(provider_user)
    return client


@pytest.fixture
def adviser_client(client, adviser_user):
    client.force_login(adviser_user)
    return client


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, real workers) end with a flush that empties every
    table, reference data included; put the municipalities and taxonomy back when missing."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server"))
    if transactional:
        request.getfixturevalue("transactional_db")
        from portal.models import Municipality

        if not Municipality.objects.exists():
            from portal.reference_data.loader import load_all

            load_all()


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_after_a_plain_flush():
    """A transactional test without serialized_rollback ends with a flush that re-creates the
    content types and permissions (post_migrate) under new ids; a serialized test after it
    would then load the saved rows on top of them and hit their unique keys. Clear those
    re-created rows first, so the saved ones (with their original ids) go back in."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize(self, data):
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        alias = self.connection.alias
        Permission.objects.using(alias).all().delete()
        ContentType.objects.using(alias).all().delete()
        ContentType.objects.clear_cache()
        return original(self, data)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original
