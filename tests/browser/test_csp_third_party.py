"""The admin and the API docs run under their Content-Security-Policy without violations,
and load nothing from other hosts."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import LIVE_DB

pytestmark = [pytest.mark.browser, LIVE_DB]


@pytest.mark.parametrize("path", ["/admin/", "/admin/matching/match/", "/admin/needs/need/add/"])
def test_admin_pages_work_under_their_policy(open_page, path):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    page, recorder = open_page(staff)
    response = page.goto(path)
    assert response.status == 200
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
    page.wait_for_load_state("networkidle")
    assert not recorder.console_errors, recorder.console_errors
    assert not recorder.foreign_requests


def test_swagger_ui_renders_the_schema_under_its_policy(open_page):
    page, recorder = open_page()
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert not recorder.console_errors, recorder.console_errors
    assert not recorder.foreign_requests


def test_redoc_renders_the_schema_with_nothing_from_other_hosts(open_page):
    page, recorder = open_page()
    response = page.goto("/api/redoc/")
    policy = {k.title(): v for k, v in response.headers.items()}["Content-Security-Policy"]
    assert "worker-src 'self' blob:" in policy
    page.wait_for_selector("h1", timeout=15_000)  # the schema's title, rendered by Redoc
    page.wait_for_load_state("networkidle")
    page.fill('input[role="search"], input[placeholder]', "needs")  # runs the search worker
    page.wait_for_timeout(500)
    assert not recorder.console_errors, recorder.console_errors
    assert not recorder.foreign_requests, recorder.foreign_requests
    attribution = page.locator("text=API docs by Redocly")
    assert attribution.count() == 1 and not attribution.is_visible()  # rendered, but hidden
