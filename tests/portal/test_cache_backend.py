"""The production cache (`portal.cache.RedisCache`) against the real Redis: Django's cache API
unchanged, one client per connection pool, shared by the threads of a process."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.services


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": redis_url,
                                   "KEY_PREFIX": "cache-backend-test"}}
    cache = caches.create_connection("default")
    yield cache
    cache.clear()


def test_the_cache_api_works_as_djangos(redis_cache):
    assert redis_cache.get("missing") is None
    redis_cache.set("a", {"n": 1}, 60)
    assert redis_cache.add("a", "other") is False
    assert redis_cache.get_many(["a", "b"]) == {"a": {"n": 1}}
    redis_cache.set("count", 0)
    assert redis_cache.incr("count") == 1
    redis_cache.delete_many(["a", "count"])
    assert redis_cache.get_many(["a", "count"]) == {}


def test_one_client_per_pool_shared_by_threads(redis_cache):
    first = redis_cache._cache.get_client("x")
    assert redis_cache._cache.get_client("y") is first
    errors: list[Exception] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                redis_cache.set(f"t{n}:{i}", i)
                assert redis_cache.get(f"t{n}:{i}") == i
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert redis_cache.get("t7:49") == 49
