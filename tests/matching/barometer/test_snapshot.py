"""With a worker, the barometer's figures are computed once per change in the background and
every page is served from the last complete snapshot: a view right after a change does not
recompute anything, and the new figures show as soon as the refresh has run."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.barometer import cache as barometer_cache
from matching.barometer import pages
from tests import factories


@pytest.fixture
def background(settings):
    settings.BAROMETER_REFRESH_IN_BACKGROUND = True


def needs_figure(client, url) -> str:
    html = client.get(url).content.decode()
    found = re.search(r'data-figure="needs"><span class="key-value">([^<]*)<', html)
    assert found, html[:500]
    return found.group(1)


def change(hand_data, capture):
    """A committed change: a new need in Seljord. Returns the tasks its commit queued (not
    run: the worker has not got to them yet)."""
    with capture() as committed:
        factories.NeedFactory(organisation=hand_data.businesses["b1"], round=hand_data.r2026,
                              area=factories.area("skog"))
    with capture() as queued:
        for callback in committed:
            callback()  # the receivers' on-commit hooks: a new version, a refresh queued
    return queued


def test_a_view_after_a_change_is_served_from_the_last_snapshot_until_the_refresh_ran(
        client, hand_data, background, django_capture_on_commit_callbacks):
    client.force_login(factories.adviser())
    url = reverse("matching:barometer") + f"?round={hand_data.r2026.pk}"
    pages.refresh()
    assert needs_figure(client, url) == "5"
    queued = change(hand_data, django_capture_on_commit_callbacks)
    assert len(queued) == 1  # one refresh, however many saves the change made
    with CaptureQueriesContext(connection) as captured:
        assert needs_figure(client, url) == "5"  # the figures from before the change
    assert not [q for q in captured.captured_queries if "needs_need" in q["sql"]]
    queued[0]()  # the worker runs the refresh (eagerly here)
    assert needs_figure(client, url) == "6"


def test_the_public_page_after_a_change_runs_no_query(
        client, hand_data, background, django_capture_on_commit_callbacks):
    pages.refresh()
    client.get(reverse("barometer:public"))
    change(hand_data, django_capture_on_commit_callbacks)
    for url in (reverse("barometer:public"), reverse("barometer:public") + "?municipality=4022",
                reverse("barometer:data_csv")):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured.captured_queries) == 0, url


def test_changes_while_a_refresh_is_queued_queue_nothing_more(
        hand_data, background, django_capture_on_commit_callbacks):
    pages.refresh()
    with django_capture_on_commit_callbacks() as queued:
        for _ in range(5):
            barometer_cache.invalidate(hand_data.r2026.pk)
    assert len(queued) == 1


def test_a_change_during_a_refresh_queues_the_next_one(
        hand_data, background, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        barometer_cache.invalidate()
    assert len(queued) == 1
    computing = barometer_cache.current_version()
    barometer_cache.invalidate()  # came in while the refresh was computing
    with django_capture_on_commit_callbacks() as again:
        barometer_cache.refresh_finished(computing)
    assert len(again) == 1
    with django_capture_on_commit_callbacks() as none:
        barometer_cache.refresh_finished(barometer_cache.current_version())
    assert len(none) == 0


def test_the_refresh_renders_the_most_visited_pages_in_every_language(hand_data, background):
    done = pages.refresh()
    assert done["version"] == barometer_cache.current_version()
    assert barometer_cache.ready()["version"] == done["version"]
    # The region and each of the eight municipalities, and a county adviser's dashboard,
    # in nb, nn and en.
    assert done["pages"] == 3 * (1 + 8 + 1)
    for key in barometer_cache.ready()["keys"]:
        assert cache.get(key) is not None, key


def test_a_worker_that_does_not_keep_up_does_not_leave_the_figures_stale(
        client, hand_data, background, django_capture_on_commit_callbacks):
    client.force_login(factories.adviser())
    url = reverse("matching:barometer") + f"?round={hand_data.r2026.pk}"
    pages.refresh()
    assert needs_figure(client, url) == "5"
    change(hand_data, django_capture_on_commit_callbacks)
    assert needs_figure(client, url) == "5"
    cache.set(barometer_cache.QUEUED_KEY, time.time() - barometer_cache.MAX_LAG - 1)
    with django_capture_on_commit_callbacks() as queued:
        assert needs_figure(client, url) == "6"  # computed in the request instead
    assert len(queued) == 1  # and queued afresh, in case the first one was lost


def test_without_a_worker_the_figures_follow_every_change(
        client, hand_data, settings, django_capture_on_commit_callbacks):
    settings.BAROMETER_REFRESH_IN_BACKGROUND = False
    client.force_login(factories.adviser())
    url = reverse("matching:barometer") + f"?round={hand_data.r2026.pk}"
    assert needs_figure(client, url) == "5"
    queued = change(hand_data, django_capture_on_commit_callbacks)
    assert queued == []  # nothing to queue: the next view computes
    assert needs_figure(client, url) == "6"


def test_the_refresh_renders_each_scoped_advisers_dashboard_ahead(client, hand_data,
                                                                   background):
    import io

    from django.core.management import call_command

    from portal import access
    from portal.models import User

    call_command("createadviser", "kommune@seljord.no", "--municipality", "4022",
                 stdout=io.StringIO())
    call_command("createadviser", "fylket@fylke.no", "--all-municipalities",
                 stdout=io.StringIO())
    assert access.adviser_scopes_in_use() == {frozenset({"4022"})}
    done = pages.refresh()
    assert done["pages"] == 3 * (1 + 8 + 2)
    client.force_login(factories.with_totp(User.objects.get(email="kommune@seljord.no")))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("matching:barometer")).content.decode()
    assert not [q for q in captured.captured_queries if "needs_need" in q["sql"]
                or "matching_cohort" in q["sql"]]
    assert "Seljord" in html and "Vinje" not in html


# 23:30 UTC on 30 November 2026 is half past midnight on 1 December in Oslo (UTC+1).
SNAPSHOT_AT = 1796081400.0
AS_OF = {"nb": "Tall fra 1. desember 2026 00:30", "nn": "Tal frå 1. desember 2026 00:30",
         "en": "Figures as of 1 December 2026, 00:30"}


def _snapshot_made_at(at: float) -> None:
    """The serving snapshot, as if its refresh had finished at `at`."""
    barometer_cache.serving_version()
    cache.set(barometer_cache.READY_KEY, {**barometer_cache.ready(), "at": at}, timeout=None)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_pages_say_when_their_figures_were_computed_in_oslo_time(client, hand_data,
                                                                       background, language):
    pages.refresh()
    for url, user in ((reverse("barometer:public"), None),
                      (reverse("matching:barometer"), factories.adviser())):
        if user is not None:
            client.force_login(user)
        _snapshot_made_at(SNAPSHOT_AT)
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        found = re.search(r'id="figures-as-of">([^<]*)<', html)
        assert found and found.group(1) == AS_OF[language], url
        assert html.index('id="figures-as-of"') < html.index('class="filters')  # near the top


def test_the_time_shown_is_the_snapshots_not_the_visits(client, hand_data, background,
                                                        django_capture_on_commit_callbacks):
    pages.refresh()
    _snapshot_made_at(time.time() - 600)
    shown = client.get(reverse("barometer:public"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    change(hand_data, django_capture_on_commit_callbacks)  # its refresh has not run yet
    again = client.get(reverse("barometer:public"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    as_of = re.compile(r'id="figures-as-of">([^<]*)<')
    assert as_of.search(shown).group(1) == as_of.search(again).group(1)


def test_the_public_page_is_kept_whole_until_new_figures_are_published(
        client, hand_data, background, django_capture_on_commit_callbacks):
    url = reverse("barometer:public")
    pages.refresh()
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    before = needs_figure(client, url)
    queued = change(hand_data, django_capture_on_commit_callbacks)
    # Not published yet: the same page (and a 304 for the same tag), without a query.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert needs_figure(client, url) == before
    assert len(captured.captured_queries) == 0
    queued[0]()  # the refresh publishes the new figures: the page shows them at once
    fresh = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert int(needs_figure(client, url)) == int(before) + 1


def test_without_a_worker_the_public_page_follows_every_change(
        client, hand_data, settings, django_capture_on_commit_callbacks):
    settings.BAROMETER_REFRESH_IN_BACKGROUND = False
    url = reverse("barometer:public")
    before = needs_figure(client, url)
    change(hand_data, django_capture_on_commit_callbacks)
    assert int(needs_figure(client, url)) == int(before) + 1


def test_the_public_page_for_a_signed_in_visitor_is_not_the_cached_one(client, hand_data):
    url = reverse("barometer:public")
    anonymous = client.get(url)
    client.force_login(factories.adviser())
    signed_in = client.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert signed_in.status_code == 200 and "ETag" not in signed_in
    assert reverse("account_logout") in signed_in.content.decode()
