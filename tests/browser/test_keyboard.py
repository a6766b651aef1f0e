"""Keyboard-only use: visible focus everywhere, the login form, and the language switcher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import LIVE_DB

pytestmark = [pytest.mark.browser, LIVE_DB]

PASSWORD = "Hemmelig-passord-42"  # tests.factories.UserFactory

FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = window.getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
    type: el.getAttribute('type'), text: (el.innerText || el.value || '').trim().slice(0, 40),
    visible: outline || ring,
    inForm: !!el.closest('form:not(.language-switcher):not(.inline-form)'),
  };
}"""


def _tab(page) -> dict | None:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUS_STATE_JS)


def test_tabbing_through_start_page_always_shows_focus(open_page):
    page, recorder = open_page()
    page.goto(reverse("portal:home"))
    seen = []
    for _ in range(60):
        state = _tab(page)
        if state is None or (seen and state == seen[0]):
            break  # wrapped around to the start
        assert state["visible"], f"focus is not visible on {state}"
        seen.append(state)
    assert len(seen) >= 5, f"too few focusable elements reached by keyboard: {seen}"
    assert any(s["id"] == "language-select" for s in seen)
    assert not recorder.console_errors


def test_login_form_works_with_keyboard_only(open_page):
    user = factories.UserFactory()
    page, recorder = open_page()
    page.goto(reverse("account_login"))
    reached_submit = False
    for _ in range(60):
        state = _tab(page)
        assert state is not None, "focus fell back to the page body before the submit button"
        assert state["visible"], f"focus is not visible on {state}"
        if not state["inForm"]:
            continue
        if state["type"] == "email" or state["name"] == "login":
            page.keyboard.type(user.email)
        elif state["type"] == "password":
            page.keyboard.type(PASSWORD)
        elif state["tag"] == "button" and state["type"] in ("submit", None):
            reached_submit = True
            break
    assert reached_submit, "the login form's submit button was never reached with Tab"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert reverse("account_login") not in page.url, "still on the login page after submitting"
    # The real login form logged us in: the dashboard opens without a redirect to login.
    page.goto(reverse("portal:dashboard"))
    assert reverse("account_login") not in page.url
    assert not recorder.console_errors


@pytest.mark.parametrize("language", ["nn", "en"])
def test_language_switcher_works_without_a_mouse(open_page, language):
    page, recorder = open_page()
    page.goto(reverse("portal:home"))
    assert page.evaluate("() => document.documentElement.lang") == "nb"
    for _ in range(10):
        state = _tab(page)
        if state and state["id"] == "language-select":
            break
    else:
        pytest.fail("the language select is not reachable with Tab")
    # Arrow keys change the choice without submitting (WCAG 3.2.2); the button submits.
    for _ in range(3):
        if page.evaluate("() => document.activeElement.value") == language:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == language
    assert page.evaluate("() => document.documentElement.lang") == "nb", "changed on input"
    state = _tab(page)
    assert state["tag"] == "button" and state["visible"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.documentElement.lang") == language
    assert not recorder.console_errors


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_main_menu_works_without_javascript(open_page, phone):
    page, recorder = open_page(phone=phone, js=False)
    page.goto(reverse("portal:home"))
    courses = page.locator(f'nav.site-nav a[href="{reverse("offers:catalogue")}"]')
    toggle = page.locator("#site-menu > summary")
    if phone:
        assert toggle.is_visible() and not courses.is_visible(), "menu should start collapsed"
        toggle.focus()
        page.keyboard.press("Enter")  # <details> opens from the keyboard, no script needed
    else:
        assert not toggle.is_visible(), "no menu button on wide screens"
    assert courses.is_visible()
    with page.expect_navigation():
        courses.click()
    assert page.url.endswith(reverse("offers:catalogue"))
