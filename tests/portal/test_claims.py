"""Claiming an organisation number: the first person becomes its administrator pending the
county's confirmation; advisers are told, see the claims and confirm or revoke them; until then
the organisation's needs are matched but no proposal is sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching import services as workflow
from matching.models import Match
from portal.models import JoinRequest, Membership, Organisation
from tests import factories

pytestmark = pytest.mark.django_db
ORGNR = "974760673"


@pytest.fixture
def offline_registry(settings):
    settings.BRREG_BASE_URL = "http://127.0.0.1:1/api"
    settings.BRREG_TIMEOUT_SECONDS = 0.5


def _register(client, user, orgnr=ORGNR):
    client.force_login(user)
    return client.post(reverse("portal:organisation_register"), {
        "orgnr": orgnr, "kind": "business", "name": "Seljord Sag AS",
        "municipality": factories.municipality("4022").pk})


def test_the_first_registrant_is_admin_pending_and_advisers_are_told(
        client, offline_registry, django_capture_on_commit_callbacks):
    adviser = factories.adviser(email="megler@fylke.no")
    claimant = factories.UserFactory(email="eier@sag.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _register(client, claimant).status_code == 302
    org = Organisation.objects.get(orgnr=ORGNR)
    assert org.claim == Organisation.Claim.PENDING
    assert Membership.objects.get(organisation=org).user == claimant
    told = [m for m in mail.outbox if adviser.email in m.to]
    assert told and ORGNR in told[0].body and "eier@sag.no" in told[0].body


def test_a_second_person_asks_the_pending_admin_and_the_adviser_sees_both(
        client, offline_registry):
    _register(client, factories.UserFactory(email="eier@sag.no"))
    org = Organisation.objects.get(orgnr=ORGNR)
    second = factories.UserFactory(email="annen@sag.no")
    client.force_login(second)
    response = client.post(reverse("portal:organisation_start"),
                           {"orgnr": ORGNR, "kind": "business"})
    assert response["Location"] == reverse("portal:organisation_join", args=[ORGNR])
    client.post(response["Location"], {"message": "Jeg er daglig leder"})
    assert JoinRequest.objects.get(organisation=org).user == second

    client.force_login(factories.adviser())
    page = client.get(reverse("portal:claim_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "eier@sag.no" in body and "annen@sag.no" in body and "Jeg er daglig leder" in body


def test_adviser_confirms_a_claim(client, offline_registry):
    _register(client, factories.UserFactory())
    org = Organisation.objects.get(orgnr=ORGNR)
    adviser = factories.adviser()
    client.force_login(adviser)
    response = client.post(reverse("portal:claim_decide", args=[org.pk]),
                           {"decision": "confirm"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.claim == Organisation.Claim.VERIFIED and org.claim_decided_by == adviser
    assert "eier" not in client.get(reverse("portal:claim_list")).content.decode()


def test_adviser_revokes_a_claim_and_the_next_person_may_claim_it(client, offline_registry):
    claimant = factories.UserFactory()
    _register(client, claimant)
    org = Organisation.objects.get(orgnr=ORGNR)
    factories.NeedFactory(organisation=org)
    client.force_login(factories.adviser())
    client.post(reverse("portal:claim_decide", args=[org.pk]), {"decision": "revoke"})
    assert not Membership.objects.filter(organisation=org).exists()
    assert org.needs.count() == 1  # the data stays

    rightful = factories.UserFactory()
    client.force_login(rightful)
    response = client.post(reverse("portal:organisation_start"),
                           {"orgnr": ORGNR, "kind": "business"})
    assert response["Location"] == reverse("portal:dashboard")
    assert Membership.objects.get(organisation=org).user == rightful
    assert Organisation.objects.get(pk=org.pk).claim == Organisation.Claim.PENDING


def test_claims_are_for_advisers_only(client, offline_registry):
    _register(client, factories.UserFactory())
    org = Organisation.objects.get(orgnr=ORGNR)
    client.force_login(factories.member_of(factories.BusinessFactory()))
    assert client.get(reverse("portal:claim_list")).status_code == 403
    assert client.post(reverse("portal:claim_decide", args=[org.pk]),
                       {"decision": "confirm"}).status_code == 403
    assert Organisation.objects.get(pk=org.pk).claim == Organisation.Claim.PENDING


def test_proposals_wait_until_the_claim_is_confirmed():
    org = factories.BusinessFactory(claim=Organisation.Claim.PENDING)
    match = factories.MatchFactory(need=factories.NeedFactory(organisation=org),
                                   status=Match.Status.APPROVED)
    with pytest.raises(ValidationError) as error:
        workflow.match_propose(match_id=match.pk, by=factories.adviser())
    assert error.value.code == "claim_pending"
    assert Match.objects.get(pk=match.pk).status == Match.Status.APPROVED

    org.claim = Organisation.Claim.VERIFIED
    org.save()
    assert workflow.match_propose(match_id=match.pk,
                                  by=factories.adviser()).status == Match.Status.PROPOSED


def test_the_claimant_is_told_of_the_confirmation_in_their_language(
        client, offline_registry, django_capture_on_commit_callbacks):
    from portal.models import Notification

    claimant = factories.UserFactory(email="eier@sag.no", language="nn")
    _register(client, claimant)
    org = Organisation.objects.get(orgnr=ORGNR)
    client.force_login(factories.adviser())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:claim_decide", args=[org.pk]), {"decision": "confirm"})
    notice = Notification.objects.get(recipient=claimant, kind="claim_decided")
    assert notice.link == reverse("portal:organisation_members", args=[org.pk])
    told = [m for m in mail.outbox if m.to == ["eier@sag.no"]]
    assert len(told) == 1
    assert "Seljord Sag AS" in told[0].body
    assert "fylket har stadfesta" in told[0].body  # nynorsk, the claimant's language
    client.force_login(claimant)
    listed = client.get(reverse("portal:notifications"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Seljord Sag AS" in listed.content.decode()


def test_the_claimant_is_told_of_a_revocation_before_losing_access(
        client, offline_registry, django_capture_on_commit_callbacks):
    from portal.models import Notification

    claimant = factories.UserFactory(email="eier@sag.no", language="en")
    _register(client, claimant)
    org = Organisation.objects.get(orgnr=ORGNR)
    client.force_login(factories.adviser())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:claim_decide", args=[org.pk]), {"decision": "revoke"})
    assert not Membership.objects.filter(organisation=org).exists()
    notice = Notification.objects.get(recipient=claimant, kind="claim_decided")
    assert notice.link == reverse("portal:organisation_start")
    told = [m for m in mail.outbox if m.to == ["eier@sag.no"]]
    assert len(told) == 1 and "did not confirm" in told[0].body


def test_a_claim_outside_the_advisers_scope_is_neither_shown_nor_decided_nor_mailed(
        client, offline_registry, django_capture_on_commit_callbacks):
    inside = factories.scoped_adviser("4022", email="seljord@fylke.no")
    outside = factories.scoped_adviser("4036", email="vinje@fylke.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, factories.UserFactory(email="eier@sag.no"))  # a business in 4022
    org = Organisation.objects.get(orgnr=ORGNR)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "seljord@fylke.no" in recipients and "vinje@fylke.no" not in recipients

    client.force_login(outside)
    assert "eier@sag.no" not in client.get(reverse("portal:claim_list")).content.decode()
    assert client.post(reverse("portal:claim_decide", args=[org.pk]),
                       {"decision": "confirm"}).status_code == 404
    assert Organisation.objects.get(pk=org.pk).claim == Organisation.Claim.PENDING
    client.force_login(inside)
    assert "eier@sag.no" in client.get(reverse("portal:claim_list")).content.decode()


def test_advisers_in_scope_find_the_claim_among_their_notifications_in_their_language(
        client, offline_registry, django_capture_on_commit_callbacks):
    from portal.models import Notification

    inside = factories.scoped_adviser("4022", email="seljord@fylke.no", language="nn")
    outside = factories.scoped_adviser("4036", email="vinje@fylke.no")
    claimant = factories.UserFactory(email="eier@sag.no")
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, claimant)  # a business in 4022
    assert not Notification.objects.filter(recipient__in=[outside, claimant]).exists()
    notice = Notification.objects.get(recipient=inside, kind="claim_submitted")
    assert notice.link == reverse("portal:claim_list")

    client.force_login(inside)
    page = client.get(reverse("portal:notifications"), HTTP_ACCEPT_LANGUAGE="nn")
    body = page.content.decode()
    assert "Seljord Sag AS" in body and ORGNR in body and "eier@sag.no" in body
    assert "ventar på at du stadfestar" in body
