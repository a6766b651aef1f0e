"""The barometer pages in bokmål, nynorsk and English, on a desktop and at phone width:
no serious or critical axe violation, nothing wider than the screen, charts with titles."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.browser.conftest import LIVE_DB, format_violations, run_axe
from tests.browser.pages import Actor, with_barometer_data

pytestmark = [pytest.mark.browser, LIVE_DB]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_barometer_pages_pass_axe_in_every_language_and_width(open_page, live_server,
                                                              language):
    with_barometer_data(Actor("anonymous"))
    adviser = factories.adviser()
    urls = [(None, reverse("barometer:public")),
            (None, reverse("barometer:public") + "?municipality=4036"),
            (adviser, reverse("matching:barometer"))]
    problems = []
    for phone in (False, True):
        for user, url in urls:
            page, recorder = open_page(user, phone=phone)
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME,
                                       "value": language, "url": live_server.url}])
            response = page.goto(url, wait_until="load")
            assert response.status == 200, url
            assert page.evaluate("() => document.documentElement.lang") == language
            serious = [v for v in run_axe(page) if v.get("impact") in ("serious", "critical")]
            if serious:
                problems.append(f"{url} ({language}, {'phone' if phone else 'desktop'}):\n"
                                + format_violations(serious))
            width = page.evaluate("() => [document.documentElement.scrollWidth, "
                                  "window.innerWidth]")
            assert width[0] <= width[1], f"{url} scrolls sideways: {width}"
            titles = page.evaluate("() => [...document.querySelectorAll('svg.chart > title')]"
                                   ".map(t => t.textContent.trim())")
            assert len(titles) >= 3 and all(titles), titles
            assert not recorder.console_errors, recorder.console_errors
    assert not problems, "\n".join(problems)
