"""ID-porten sign-in through allauth's OpenID Connect provider, against a fake ID-porten on
loopback (tests/portal/fake_oidc.py): discovery, PKCE, the token exchange and the ID token's
issuer and audience are all checked by allauth's real code."""

from __future__ import annotations

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from portal.models import User
from portal.settings.base import idporten_provider
from tests import factories
from tests.portal import fake_oidc

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/oidc/idporten/login/"
PID = "01017012345"  # a made-up national identity number


@pytest.fixture
def idporten(settings):
    cache.clear()
    provider, server = fake_oidc.start()
    settings.SOCIALACCOUNT_PROVIDERS = idporten_provider(
        issuer=provider.base_url, client_id=fake_oidc.CLIENT_ID,
        secret=fake_oidc.CLIENT_SECRET, acr="idporten-loa-substantial")
    yield provider
    server.shutdown()
    server.server_close()


def _through_idporten(client, provider):
    """Starts the sign-in, lets the fake ID-porten answer, and returns the callback's answer."""
    start = client.post(LOGIN)
    assert start.status_code == 302, start
    authorize = start["Location"]
    assert authorize.startswith(provider.base_url + "/authorize?")
    back = requests.get(authorize, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = back.headers["Location"].removeprefix("http://testserver")
    return client.get(callback)


def test_not_configured_means_no_button_and_no_sign_in(client):
    assert client.get(LOGIN).status_code == 404
    assert "ID-porten" not in client.get(reverse("account_login")).content.decode()


def test_the_login_page_offers_id_porten_when_configured(client, idporten):
    assert "ID-porten" in client.get(reverse("account_login")).content.decode()


def test_authorization_asks_for_what_id_porten_needs(client, idporten):
    from urllib.parse import parse_qs, urlparse

    query = {k: v[0] for k, v in parse_qs(urlparse(client.post(LOGIN)["Location"]).query).items()}
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["acr_values"] == "idporten-loa-substantial"
    assert set(query["scope"].split()) == {"openid", "profile"}
    assert query["state"] and query["client_id"] == fake_oidc.CLIENT_ID


def test_a_connected_person_signs_in_with_id_porten(client, idporten):
    user = factories.member_of(factories.BusinessFactory(), email="kari@sag.no")
    SocialAccount.objects.create(user=user, provider="idporten", uid="sub-kari")
    idporten.sign_in_as(sub="sub-kari", pid=PID)
    response = _through_idporten(client, idporten)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).context["user"] == user
    account = SocialAccount.objects.get(user=user)
    # The identity's claims are kept: a later step can tell who may act for a business.
    assert account.extra_data["id_token"]["pid"] == PID
    assert account.extra_data["id_token"]["acr"] == "idporten-loa-substantial"
    token_call = next(form for path, form in idporten.requests if path == "/token")
    assert token_call["code_verifier"]  # PKCE, as ID-porten requires


def test_a_new_person_gives_and_confirms_an_e_mail_address(client, idporten):
    idporten.sign_in_as(sub="sub-ola", pid=PID)
    response = _through_idporten(client, idporten)
    # ID-porten gives no e-mail address: the portal asks for one.
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    mail.outbox.clear()
    done = client.post(reverse("socialaccount_signup"), {"email": "ola@gard.no"})
    assert done.status_code == 302
    user = User.objects.get(email="ola@gard.no")
    assert SocialAccount.objects.get(user=user, provider="idporten").uid == "sub-ola"
    assert user.emailaddress_set.get().verified is False
    assert any("ola@gard.no" in message.to for message in mail.outbox)
    # Like any sign-up, the address is confirmed before the portal opens.
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_an_adviser_still_needs_the_second_factor(client, idporten):
    adviser = factories.adviser(email="megler@fylke.no")
    SocialAccount.objects.create(user=adviser, provider="idporten", uid="sub-megler")
    idporten.sign_in_as(sub="sub-megler", pid=PID)
    response = _through_idporten(client, idporten)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("matching:adviser_home")).status_code == 302  # not signed in


def test_an_id_token_for_another_client_is_refused(client, idporten):
    user = factories.member_of(factories.BusinessFactory())
    SocialAccount.objects.create(user=user, provider="idporten", uid="sub-kari")
    idporten.sign_in_as(sub="sub-kari", pid=PID)
    idporten.audience = "some-other-service"
    response = _through_idporten(client, idporten)
    assert response.status_code == 401  # allauth's "sign-in failed" page
    assert "_auth_user_id" not in client.session


def test_the_account_export_includes_the_id_porten_identity(client, idporten):
    from portal.services import account_export

    user = factories.member_of(factories.BusinessFactory())
    SocialAccount.objects.create(user=user, provider="idporten", uid="sub-kari",
                                 extra_data={"id_token": {"pid": PID}})
    exported = account_export(user=user)["sign_in_connections"]
    assert exported[0]["provider"] == "idporten" and exported[0]["claims"]["id_token"]["pid"] == PID


def test_the_account_page_links_to_connecting_id_porten_only_when_configured(client, settings):
    client.force_login(factories.member_of(factories.BusinessFactory()))
    connect = reverse("socialaccount_connections")
    assert connect not in client.get(reverse("portal:account")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = idporten_provider(
        issuer="http://127.0.0.1:1", client_id="x", secret="y", acr="idporten-loa-substantial")
    assert connect in client.get(reverse("portal:account")).content.decode()
