"""Passkeys end to end in Chromium: an adviser without a second factor registers a passkey
(allauth.mfa's WebAuthn), then signs in with password + passkey and reaches the adviser pages.

The passkey lives in Chrome's virtual authenticator (DevTools protocol, `WebAuthn.*`): a
platform authenticator that holds resident keys, verifies the user and answers at once, so
the browser's own WebAuthn code, allauth's scripts (under our CSP) and fido2's checks on the
server all run for real. The live server is http://localhost, which browsers and fido2 accept
as a secure origin for the relying party "localhost".
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from tests import factories
from tests.browser.conftest import LIVE_DB

pytestmark = [pytest.mark.browser, LIVE_DB]
PASSWORD = "Hemmelig-passord-42"


def _virtual_authenticator(page) -> tuple[object, str]:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    created = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return session, created["authenticatorId"]


def _sign_in_with_password(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()


def test_adviser_registers_a_passkey_and_signs_in_with_it(open_page, live_server):
    cache.clear()  # login rate limits
    adviser = factories.adviser(email="passkey@fylke.no", second_factor=False)
    page, recorder = open_page()
    session, authenticator_id = _virtual_authenticator(page)

    # Without a second factor the adviser is sent to set one up.
    _sign_in_with_password(page, adviser.email)
    assert "/accounts/2fa/" in page.url
    page.goto("/matching/")
    assert "/accounts/2fa/" in page.url

    page.goto("/accounts/2fa/webauthn/add/")
    if "reauthenticate" in page.url:  # allauth asks for the password again before adding
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
        page.wait_for_url(re.compile(r"/webauthn/add/"))
    page.fill("input[name=name]", "Telefon")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    key = Authenticator.objects.get(user=adviser, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Telefon"
    credentials = session.send("WebAuthn.getCredentials",
                               {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost"

    # The passkey is a second factor: adviser pages open now.
    assert page.goto("/matching/").status == 200
    assert "/accounts/2fa/" not in page.url

    # Sign out, then in again: the password alone is not enough, the passkey completes it.
    page.goto("/accounts/logout/")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    _sign_in_with_password(page, adviser.email)
    assert "/accounts/2fa/authenticate/" in page.url
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    assert page.goto("/matching/").status == 200
    assert "/accounts/" not in page.url
    sign_count = session.send("WebAuthn.getCredentials",
                              {"authenticatorId": authenticator_id})["credentials"][0]
    assert sign_count["signCount"] >= 1
    assert not recorder.console_errors, recorder.console_errors

