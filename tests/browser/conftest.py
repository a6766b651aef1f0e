"""Playwright harness: one Chromium per test session, a fresh context per test.

Chromium comes from Debian (/usr/bin/chromium); `playwright install` is never used. Without it
the browser tests skip locally and fail under CI (`tests.conftest.missing_service`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import missing_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent.parent / "assets" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}

# The live server runs in another thread, so test data must be committed (transaction=True);
# serialized_rollback puts back the reference data (municipalities, areas) that the flush after
# each transactional test would otherwise wipe.
LIVE_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        missing_service(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency
        missing_service("the playwright package is not installed")
    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    yield browser
    browser.close()
    manager.stop()


@dataclass
class Recorder:
    """What a page did behind the scenes: requests to other hosts and console errors."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_request(request) -> None:
            url = request.url
            if url.startswith(("data:", "blob:", "about:")):
                return
            parsed = urlparse(url)
            if f"{parsed.scheme}://{parsed.netloc}" != self.origin:
                self.foreign_requests.append(url)

        def on_console(message) -> None:
            if message.type == "error":
                where = message.location.get("url", "") if message.location else ""
                self.console_errors.append(f"{message.text} [{where}]" if where else message.text)

        def on_response(response) -> None:
            # Name the missing file: the console only says "Failed to load resource: 404".
            if response.status >= 400:
                self.failed_responses.append(f"{response.status} {response.url}")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))


def session_cookie_for(user) -> str:
    """Log the user in the way `client.force_login` does and return the session key."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def open_page(chromium, live_server) -> Iterator[Callable]:
    """`open_page(user=None, phone=False, js=True)` → (page, recorder) in a fresh context."""
    from django.conf import settings

    contexts = []

    def _open(user=None, *, phone: bool = False, js: bool = True, viewport: dict | None = None):
        options = dict(PHONE if phone else DESKTOP)
        if viewport is not None:
            options["viewport"] = viewport
        context = chromium.new_context(base_url=live_server.url, java_script_enabled=js,
                                       locale="nb-NO", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                  "value": session_cookie_for(user), "url": live_server.url}])
        page = context.new_page()
        recorder = Recorder(origin=live_server.url.rstrip("/"))
        recorder.attach(page)
        return page, recorder

    yield _open
    for context in contexts:
        context.close()


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    """Run axe-core with the WCAG 2.1 A/AA rules and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # `page.add_script_tag` would insert an inline <script>, which our CSP (rightly) blocks and
        # reports as a console error; evaluating through the DevTools protocol is not subject to
        # CSP, so the page's real policy stays in force for everything else.
        page.evaluate(_axe_source())
    result = page.evaluate(
        # resultTypes: only violations get full node details, which makes axe much faster.
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def assert_no_axe_violations(page, where: str = "") -> None:
    violations = run_axe(page)
    assert not violations, f"axe found WCAG 2.1 AA violations {where}:\n" + format_violations(
        violations
    )


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def save_screenshot(page, name: str) -> Path:
    """A full-page PNG under tests/browser/artifacts/ (gitignored), for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
