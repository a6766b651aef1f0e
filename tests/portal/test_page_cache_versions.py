"""A cached group's version is read once per request, and a change made during the request
is seen by the rest of it."""

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from portal.page_cache import (
    VERSION_KEY,
    group_version,
    group_versions,
    page_cache_invalidate,
    versions_read_once,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _bumped_elsewhere(group: str, to: float) -> None:
    """What another process's change does: only the shared cache learns of it."""
    cache.set(VERSION_KEY.format(group=group), to, None)


def test_within_a_request_the_first_answer_stands_and_the_next_request_reads_again():
    with versions_read_once():
        first = group_version("offers")
        _bumped_elsewhere("offers", first + 10)
        assert group_version("offers") == first
        assert group_versions("reference", "offers")[1] == first
    assert group_version("offers") == first + 10


def test_outside_a_request_every_read_goes_to_the_cache():
    first = group_version("offers")
    _bumped_elsewhere("offers", first + 10)
    assert group_version("offers") == first + 10
    assert group_versions("offers") == (first + 10,)


def test_a_change_made_during_the_request_is_seen_by_the_rest_of_it(
        django_capture_on_commit_callbacks):
    with versions_read_once():
        before = group_version("offers")
        with django_capture_on_commit_callbacks(execute=True):
            page_cache_invalidate("offers")
            during = group_version("offers")
            assert during > before
        assert group_version("offers") >= during
        assert group_versions("offers", "reference")[0] == group_version("offers")


def test_a_page_reads_each_version_from_the_cache_once(business_client, business, monkeypatch):
    factories.NeedFactory.create_batch(3, organisation=business)
    group_version("reference")  # set once, as by the first page after a deploy
    reads: list[str] = []
    backend = type(caches["default"])
    read = backend.get

    def counted(self, key, *args, **kwargs):
        reads.append(key)
        return read(self, key, *args, **kwargs)

    monkeypatch.setattr(backend, "get", counted)
    response = business_client.get(reverse("needs:business_home"))
    assert response.status_code == 200
    reference = VERSION_KEY.format(group="reference")
    assert reads.count(reference) == 1, reads


def test_a_public_page_miss_reads_its_version_once(client, monkeypatch):
    group_version("offers")
    reads: list[str] = []
    inside_many = []  # a backend's get_many may ask its own get for each key
    backend = type(caches["default"])
    read, read_many = backend.get, backend.get_many

    def counted(self, key, *args, **kwargs):
        if not inside_many:
            reads.append(key)
        return read(self, key, *args, **kwargs)

    def counted_many(self, keys, *args, **kwargs):
        reads.extend(keys)
        inside_many.append(True)
        try:
            return read_many(self, keys, *args, **kwargs)
        finally:
            inside_many.pop()

    monkeypatch.setattr(backend, "get", counted)
    monkeypatch.setattr(backend, "get_many", counted_many)
    response = client.get(reverse("offers:catalogue"), {"q": "motorsag"})
    assert response.status_code == 200
    assert reads.count(VERSION_KEY.format(group="offers")) == 1, reads
