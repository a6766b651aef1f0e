"""The user's own account: GDPR export and deletion, login rate limits, allauth in our layout."""

import json

import pytest
from django.urls import reverse

from needs.models import Need
from portal.models import Membership, Organisation, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_export_contains_the_users_data_only(business_client, business_user):
    factories.member_of(factories.BusinessFactory(), email="annen@example.no")
    response = business_client.get(reverse("portal:account_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["user"]["email"] == business_user.email
    assert [m["orgnr"] for m in data["memberships"]] == [
        business_user.memberships.get().organisation.orgnr]
    assert "annen@example.no" not in response.content.decode()


def test_delete_account_keeps_the_organisations_data(client):
    org = factories.BusinessFactory()
    user = factories.member_of(org)
    need = factories.NeedFactory(organisation=org, created_by=user)
    client.force_login(user)
    wrong = client.post(reverse("portal:account_delete"), {"confirm_email": "feil@example.no"})
    assert wrong.status_code == 400 and User.objects.filter(pk=user.pk).exists()

    response = client.post(reverse("portal:account_delete"), {
        "confirm_email": user.email, "password": "Hemmelig-passord-42"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert Organisation.objects.filter(pk=org.pk).exists()
    need.refresh_from_db()
    assert need.created_by is None and Need.objects.filter(pk=need.pk).exists()


def test_sole_admin_with_colleagues_cannot_delete_the_account(client):
    org = factories.BusinessFactory()
    admin, colleague = factories.member_of(org), factories.member_of(org)
    Membership.objects.filter(user=colleague).update(role=Membership.Role.MEMBER)
    client.force_login(admin)
    response = client.post(reverse("portal:account_delete"), {
        "confirm_email": admin.email, "password": "Hemmelig-passord-42"})
    assert response.status_code == 400
    assert User.objects.filter(pk=admin.pk).exists()


def test_profile_edit(business_client, business_user):
    business_client.post(reverse("portal:account"), {"full_name": "Åse Ødegård", "phone": "+47 99"})
    business_user.refresh_from_db()
    assert business_user.full_name == "Åse Ødegård"


def test_account_pages_need_login(client):
    for name in ("portal:account", "portal:account_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_allauth_pages_render_in_the_portal_layout(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        assert 'id="main"' in html and 'class="skip-link"' in html
        assert 'href="/static/css/portal.css"' in html


def test_login_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    factories.UserFactory(email="eier@example.no")
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "eier@example.no", "password": "feil"})
    response = client.post(reverse("account_login"),
                           {"login": "eier@example.no", "password": "Hemmelig-passord-42"})
    assert response.status_code == 429 or not response.wsgi_request.user.is_authenticated
