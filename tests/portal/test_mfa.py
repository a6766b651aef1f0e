"""Two-factor sign-in: advisers and staff need TOTP or a passkey before adviser pages, exports,
the API and the admin open; businesses and providers may turn it on."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from portal import access
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "Hemmelig-passord-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # TOTP codes are single-use (allauth remembers used ones in the cache) and logins are rate
    # limited there: every test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


def _password_login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


ADVISER_URLS = [
    reverse("needs:adviser_list"), reverse("needs:adviser_export"),
    reverse("matching:adviser_home"), reverse("matching:gap_report_csv"),
    reverse("portal:dashboard"),
]


@pytest.mark.parametrize("url", ADVISER_URLS)
def test_adviser_without_second_factor_is_sent_to_set_one_up(client, url):
    client.force_login(factories.adviser(second_factor=False))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("url", ["/api/v1/needs/", "/api/v1/matches/", "/api/v1/cohorts/"])
def test_adviser_api_answers_nothing_without_second_factor(client, url):
    client.force_login(factories.adviser(second_factor=False))
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_adviser_rights_need_a_second_factor_even_outside_the_pages():
    """Whatever authenticates the request (a session, an API token), `is_adviser` is False
    until the adviser has set up a second factor."""
    without = factories.adviser(second_factor=False)
    assert not access.is_adviser(without)
    assert access.second_factor_missing(without)
    with_totp = factories.adviser()
    assert access.is_adviser(with_totp)
    assert not access.second_factor_missing(with_totp)


def test_set_up_page_and_sign_out_stay_open_without_second_factor(client):
    client.force_login(factories.adviser(second_factor=False))
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_adviser_sets_up_totp_gets_recovery_codes_and_opens_adviser_pages(client):
    adviser = factories.adviser(second_factor=False)
    assert _password_login(client, adviser).status_code == 302
    # Changing sign-in methods asks for the password again.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown as text beside the QR code

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=adviser).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=adviser).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("needs:adviser_list")).status_code == 200


def test_sign_in_asks_for_the_code_after_the_password(client):
    adviser = factories.adviser()
    response = _password_login(client, adviser)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # The password alone opens nothing.
    assert client.get(reverse("needs:adviser_list")).status_code == 302
    assert "_auth_user_id" not in client.session

    assert client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("needs:adviser_list")).status_code == 200


def test_a_recovery_code_signs_in_once(client):
    adviser = factories.adviser()
    code = RecoveryCodes.activate(adviser).get_unused_codes()[0]
    _password_login(client, adviser)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("matching:adviser_home")).status_code == 200

    client.logout()
    _password_login(client, adviser)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_adviser_cannot_remove_the_last_second_factor(client):
    adviser = factories.adviser()
    _password_login(client, adviser)
    client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=adviser, type="totp").exists()


def test_business_may_turn_on_two_factor_but_does_not_have_to(client, business):
    user = factories.member_of(business)
    client.force_login(user)
    assert client.get(reverse("needs:business_home")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    factories.with_totp(user)
    client.logout()
    response = _password_login(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    # A business may switch it off again.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=user, type="totp").exists()


def test_passkey_page_is_offered(client):
    adviser = factories.adviser(second_factor=False)
    _password_login(client, adviser)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    assert "allauth.webauthn.forms.addForm" in response.content.decode()


def test_admin_login_goes_through_the_portal_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in login["Location"]


def test_staff_need_a_second_factor_for_the_admin(client):
    staff = factories.UserFactory(is_staff=True, is_superuser=True, second_factor=False)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    factories.with_totp(staff)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_admin_password_guessing_is_locked_out(client):
    """20 wrong passwords through the (allauth) login, then the right one: still refused."""
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    for _ in range(20):
        client.post(reverse("account_login") + "?next=/admin/",
                    {"login": staff.email, "password": "wrong-password"})
    response = client.post(reverse("account_login") + "?next=/admin/",
                           {"login": staff.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_production_allows_passkeys_on_https_origins_only(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    from tests.celery_worker import ROOT

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "kompetanse.example.no",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
           "REDIS_URL": "redis://127.0.0.1:6379/0", "DEBUG": "true"}
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN, 'allauth.mfa' in "
            "settings.INSTALLED_APPS)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_the_code_page_speaks_nynorsk_and_shows_no_empty_passkey_box(client, settings):
    """allauth ships no nynorsk: its two-factor page takes ours. The passkey form (no visible
    fields, no buttons; allauth's script sends it) is hidden, not an empty card."""
    adviser = factories.adviser()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    _password_login(client, adviser)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Kontoen din er verna av tofaktorautentisering" in html
    assert "Bruk ein tryggleiksnøkkel" in html and "Andre val" in html
    assert '<form method="post" id="webauthn_form" hidden' in html
    # Forms that are only buttons (signing out) keep their card.
    client.logout()
    client.force_login(factories.UserFactory())
    logout = client.get(reverse("account_logout")).content.decode()
    assert 'class="card auth-form"' in logout


def test_sign_in_and_sign_up_pages_speak_nynorsk(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    login = client.get(reverse("account_login")).content.decode()
    assert "Om du ikkje har oppretta ein konto enno" in login and "Hugs meg" in login
    assert "Hvis du ikke" not in login
    signup = client.get(reverse("account_signup")).content.decode()
    assert "Har du alt ein konto?" in signup and "allerede" not in signup
