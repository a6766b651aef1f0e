"""The signed-in user, who they are (memberships, second factor) and their unread count are
read once and kept in the shared cache across requests; every change to the rows behind them
shows on the very next request — a revoked right above all."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import access
from portal.models import Membership, Municipality, Organisation
from portal.notifications import notification_mark_read, notification_send
from tests import factories

pytestmark = pytest.mark.django_db


def _tables_read(client, url: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(q["sql"] for q in ctx.captured_queries)


def test_a_page_after_the_first_reads_no_user_membership_authenticator_or_unread_count(client):
    user = factories.adviser()
    client.force_login(user)
    url = reverse("matching:adviser_home")
    first = _tables_read(client, url)
    assert "portal_membership" in first and "mfa_authenticator" in first
    again = _tables_read(client, url)
    assert "portal_user" not in again
    assert "portal_membership" not in again
    assert "mfa_authenticator" not in again
    assert "portal_notification" not in again


def test_a_removed_county_membership_ends_adviser_rights_at_the_next_request(client):
    user = factories.adviser()
    client.force_login(user)
    url = reverse("matching:adviser_home")
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=user).delete()
    assert client.get(url).status_code == 403


def test_a_removed_second_factor_sends_the_adviser_to_set_one_up(client):
    user = factories.adviser()
    client.force_login(user)
    url = reverse("matching:adviser_home")
    assert client.get(url).status_code == 200
    Authenticator.objects.filter(user=user).delete()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_a_new_municipality_limit_narrows_the_scope_at_once(client):
    user = factories.adviser()
    assert access.adviser_scope(user) is None
    membership = Membership.objects.get(user=user)
    membership.municipalities.add(Municipality.objects.get(code="4036"))
    fresh = type(user).objects.get(pk=user.pk)  # the next request's user object
    assert access.adviser_scope(fresh) == frozenset({"4036"})
    membership.municipalities.clear()
    assert access.adviser_scope(type(user).objects.get(pk=user.pk)) is None


def test_an_organisation_that_changes_kind_changes_its_members_menu(client):
    business = factories.BusinessFactory()
    user = factories.member_of(business)
    client.force_login(user)
    home = reverse("portal:dashboard")
    assert reverse("needs:business_home") in client.get(home).content.decode()
    business.kind = Organisation.Kind.PROVIDER
    business.save()
    page = client.get(home).content.decode()
    assert reverse("needs:business_home") not in page
    assert reverse("offers:provider_home") in page


def test_the_unread_count_follows_new_and_read_notifications(client):
    user = factories.member_of(factories.BusinessFactory())
    client.force_login(user)
    home = reverse("portal:dashboard")
    assert 'data-unread="' not in client.get(home).content.decode()
    notification_send(recipient=user, kind="need_submitted", params={})
    assert 'data-unread="1"' in client.get(home).content.decode()
    notification_mark_read(user=user)
    assert 'data-unread="' not in client.get(home).content.decode()


def test_a_deactivated_user_is_signed_out_at_the_next_request(client):
    user = factories.member_of(factories.BusinessFactory())
    client.force_login(user)
    home = reverse("portal:dashboard")
    assert client.get(home).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(home).status_code == 302  # to the sign-in page


def test_a_changed_password_ends_the_other_sessions(client):
    user = factories.member_of(factories.BusinessFactory())
    client.force_login(user)
    home = reverse("portal:dashboard")
    assert client.get(home).status_code == 200
    user.set_password("Et-helt-nytt-passord-2026")
    user.save()
    assert client.get(home).status_code == 302


def test_a_chosen_language_is_what_the_next_request_sees(client):
    from portal.services import user_language_set

    user = factories.member_of(factories.BusinessFactory(), language="nb")
    client.force_login(user)
    client.get(reverse("portal:dashboard"))
    user_language_set(user=type(user).objects.get(pk=user.pk), language="nn")
    response = client.get(reverse("portal:dashboard"))
    assert response.wsgi_request.user.language == "nn"


def test_the_active_organisation_follows_a_switch_and_an_edit_at_once(client):
    first = factories.BusinessFactory(name="Aasen Hytteutleie")
    second = factories.BusinessFactory(name="Bøen Bygg")
    user = factories.member_of(first)
    factories.MembershipFactory(user=user, organisation=second)
    client.force_login(user)
    home = reverse("portal:dashboard")
    lead = '<p class="lead">{}</p>'
    assert lead.format("Aasen Hytteutleie") in client.get(home).content.decode()
    client.post(reverse("portal:organisation_switch"), {"organisation": second.pk})
    assert lead.format("Bøen Bygg") in client.get(home).content.decode()
    second.name = "Bøen Bygg og Tre"
    second.save()
    assert lead.format("Bøen Bygg og Tre") in client.get(home).content.decode()
    # A revoked claim removes the memberships (and confirms through an UPDATE): gone at once.
    Membership.objects.filter(user=user, organisation=second).delete()
    assert lead.format("Aasen Hytteutleie") in client.get(home).content.decode()


def test_a_confirmed_claim_shows_to_its_members_at_once(client):
    from portal.services import organisation_claim_decide

    business = factories.BusinessFactory(claim=Organisation.Claim.PENDING)
    user = factories.member_of(business)
    client.force_login(user)
    request = client.get(reverse("portal:dashboard")).wsgi_request
    assert access.active_organisation(request).claim == Organisation.Claim.PENDING
    organisation_claim_decide(organisation=business, by=factories.adviser(), confirm=True)
    request = client.get(reverse("portal:dashboard")).wsgi_request
    assert access.active_organisation(request).claim == Organisation.Claim.VERIFIED


@pytest.mark.services
def test_a_logged_in_page_makes_two_redis_round_trips(client, settings, redis_url,
                                                      monkeypatch):
    """The session, then the user with their standing and unread count in one MGET."""
    import redis.connection

    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": redis_url,
                                   "KEY_PREFIX": "round-trips"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = factories.adviser()
    client.force_login(user)
    url = reverse("portal:dashboard")
    client.get(url)  # warms the user's cached values
    sent: list[bytes] = []
    real_send = redis.connection.Connection.send_packed_command

    def counting_send(self, command, *args, **kwargs):  # still sent to the real Redis
        sent.append(command if isinstance(command, bytes) else b"".join(command))
        return real_send(self, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting_send)
    assert client.get(url).status_code == 200
    names = [command.split(b"\r\n")[2] for command in sent]
    assert names == [b"GET", b"MGET"], sent
