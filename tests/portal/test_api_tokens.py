"""Personal API tokens: created on the account page or by command, shown once, stored hashed,
used as `Authorization: Bearer`, scoped to one organisation, revoked, expiring."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import ApiToken
from portal.tokens import api_token_create, token_digest
from tests import factories

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_token_is_stored_only_as_a_digest(business_user, business):
    issued = api_token_create(user=business_user, organisation=business, name="Sync")
    stored = ApiToken.objects.get()
    assert issued.secret.startswith("kp_") and len(issued.secret) > 40
    assert stored.digest == token_digest(issued.secret) and issued.secret not in stored.digest
    assert issued.secret.startswith(stored.prefix)


def test_bearer_token_reads_as_its_user_and_records_last_use(business_user, business):
    own = factories.NeedFactory(organisation=business)
    factories.NeedFactory()  # another business's
    issued = api_token_create(user=business_user, organisation=business, name="Sync")
    response = bearer(issued.secret).get(reverse("api-needs"))
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == [own.pk]
    assert ApiToken.objects.get().last_used_at is not None


def test_missing_or_wrong_token_is_a_401_that_names_the_scheme(business_user, business):
    anonymous = APIClient().get(reverse("api-needs"))
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    wrong = bearer("kp_not-a-real-token").get(reverse("api-needs"))
    assert wrong.status_code == 401 and "detail" in wrong.json()
    assert bearer("").get(reverse("api-needs")).status_code == 401


def test_revoked_and_expired_tokens_stop_working(business_user, business):
    revoked = api_token_create(user=business_user, organisation=business, name="A")
    expiring = api_token_create(user=business_user, organisation=business, name="B",
                                expires_days=1)
    assert bearer(expiring.secret).get(reverse("api-needs")).status_code == 200
    client = factories_client(business_user)
    response = client.post(reverse("portal:api_token_revoke", args=[revoked.token.pk]))
    assert response.status_code == 302
    assert bearer(revoked.secret).get(reverse("api-needs")).status_code == 401
    ApiToken.objects.filter(pk=expiring.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(expiring.secret).get(reverse("api-needs")).status_code == 401


def factories_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_token_acts_only_within_its_organisation(business_user, business):
    """A user in two businesses (and the county) gets with each token only that one's data."""
    other = factories.BusinessFactory()
    factories.MembershipFactory(user=business_user, organisation=other)
    mine = factories.NeedFactory(organisation=business)
    theirs = factories.NeedFactory(organisation=other)
    first = api_token_create(user=business_user, organisation=business, name="A")
    second = api_token_create(user=business_user, organisation=other, name="B")
    assert [n["id"] for n in bearer(first.secret).get(reverse("api-needs")).json()["results"]
            ] == [mine.pk]
    assert bearer(first.secret).get(reverse("api-need", args=[theirs.pk])).status_code == 404
    assert [n["id"] for n in bearer(second.secret).get(reverse("api-needs")).json()["results"]
            ] == [theirs.pk]


def test_adviser_power_only_with_a_county_token(business):
    adviser = factories.adviser()
    factories.MembershipFactory(user=adviser, organisation=business)
    county = adviser.memberships.get(organisation__kind="county").organisation
    factories.NeedFactory()  # some other business's need
    as_county = api_token_create(user=adviser, organisation=county, name="County")
    as_business = api_token_create(user=adviser, organisation=business, name="Business")
    assert bearer(as_county.secret).get(reverse("api-cohorts")).status_code == 200
    assert bearer(as_business.secret).get(reverse("api-cohorts")).status_code == 403
    assert bearer(as_business.secret).get(reverse("api-needs")).json()["results"] == []


def test_token_for_an_organisation_the_user_is_not_in_is_refused(business_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        api_token_create(user=business_user, organisation=factories.BusinessFactory(),
                         name="X")
    assert "organisation" in error.value.message_dict


def test_account_page_shows_a_new_token_once_then_only_its_prefix(business_client, business):
    response = business_client.post(reverse("portal:api_token_create"), {
        "name": "Kursdatabase", "organisation": business.pk, "expires_days": "30"})
    assert response.status_code == 201 and "no-store" in response["Cache-Control"]
    secret = response.context["issued_token"].secret
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.name == "Kursdatabase" and token.expires_at is not None
    page = business_client.get(reverse("portal:account")).content.decode()
    assert "Kursdatabase" in page and token.prefix in page and secret not in page


def test_account_page_rejects_a_bad_token_form(business_client, business):
    response = business_client.post(reverse("portal:api_token_create"), {
        "name": "", "organisation": business.pk, "expires_days": "0"})
    assert response.status_code == 400
    assert set(response.context["token_form"].errors) == {"name", "expires_days"}
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(business_client):
    stranger = factories.member_of(factories.BusinessFactory())
    issued = api_token_create(user=stranger, organisation=stranger.memberships.get().organisation,
                              name="Theirs")
    response = business_client.post(reverse("portal:api_token_revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_command_prints_a_working_token(business_user, business):
    factories.NeedFactory(organisation=business)
    out = io.StringIO()
    call_command("api_token", "create", business_user.email, "--name", "cron",
                 "--expires-days", "7", stdout=out, stderr=io.StringIO())
    secret = out.getvalue().strip()
    assert bearer(secret).get(reverse("api-needs")).json()["results"]
    token = ApiToken.objects.get()
    assert token.name == "cron"
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_command_asks_which_organisation_when_there_are_several(business_user):
    factories.MembershipFactory(user=business_user, organisation=factories.BusinessFactory())
    with pytest.raises(CommandError, match="--organisation"):
        call_command("api_token", "create", business_user.email, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "nobody@example.no", stdout=io.StringIO())


def test_token_of_an_adviser_without_a_second_factor_is_refused_not_downgraded(business):
    """An adviser's token stops working when they have no second factor (e.g. an
    administrator reset it): a 403 that says what to do, never a plain member's answer."""
    from allauth.mfa.models import Authenticator

    adviser = factories.adviser()
    county = adviser.memberships.get(organisation__kind="county").organisation
    issued = api_token_create(user=adviser, organisation=county, name="County")
    Authenticator.objects.filter(user=adviser).delete()
    for url in (reverse("api-needs"), reverse("api-cohorts"), "/api/v1/offers/"):
        response = bearer(issued.secret).get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "second_factor_required"
        assert "to faktorer" in response.json()["detail"]


def test_adviser_without_a_second_factor_cannot_create_a_token(business):
    from django.core.exceptions import ValidationError

    adviser = factories.adviser(second_factor=False)
    county = adviser.memberships.get(organisation__kind="county").organisation
    with pytest.raises(ValidationError) as error:
        api_token_create(user=adviser, organisation=county, name="County")
    assert "to faktorer" in " ".join(error.value.messages)
    with pytest.raises(CommandError, match="to faktorer"):
        call_command("api_token", "create", adviser.email, "--name", "Skript",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.filter(user=adviser).exists()
