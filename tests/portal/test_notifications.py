"""Notifications: who is told what, in which language, at once or in the daily digest, with
absolute links; the in-portal list with its unread count; the choices on the account page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from matching import services as matching_services
from matching.models import CohortRequest, Match
from portal.models import Membership, Notification, NotificationPreference
from portal.notifications import (
    notification_digest_send,
    notification_send,
    notification_text,
    unread_count,
)
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://kompetanse.example.no"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_advisers_hear_when_a_business_declines_with_its_reason(run_on_commit, adviser_user):
    business = factories.BusinessFactory(name="Fjellstua AS")
    member = factories.member_of(business)
    match = factories.MatchFactory(need=factories.NeedFactory(organisation=business),
                                   status=Match.Status.PROPOSED)
    run_on_commit(matching_services.match_decline, match_id=match.pk, reason="timing",
                  by=member)
    [notice] = Notification.objects.filter(kind="proposal_answered")
    assert notice.recipient == adviser_user
    text = notification_text(notice)
    assert "Fjellstua AS" in text and "Tidspunktet passer ikke for oss" in text
    assert notice.link == reverse("matching:match_detail", args=[match.pk])
    assert not Notification.objects.filter(recipient=member).exists()
    [message] = mail.outbox
    assert message.to == [adviser_user.email]
    assert "Hei fra Kompetanseportalen!" in message.body
    assert f"{SITE}{notice.link}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{SITE}{notice.link}"' in html
    assert "127.0.0.1" not in message.body


def test_the_acting_adviser_is_not_told_about_their_own_action(run_on_commit, adviser_user):
    match = factories.MatchFactory(status=Match.Status.PROPOSED)
    run_on_commit(matching_services.match_accept, match_id=match.pk, by=adviser_user)
    assert not Notification.objects.filter(recipient=adviser_user).exists()


def test_advisers_hear_when_a_provider_answers_a_cohort_request(run_on_commit, adviser_user,
                                                                provider):
    request = CohortRequest.objects.create(cohort=factories.CohortFactory(), provider=provider)
    run_on_commit(matching_services.cohort_request_respond, request_id=request.pk,
                  status="interested", response="Vi kan i mars",
                  by=factories.member_of(provider))
    assert _kinds(adviser_user) == ["cohort_request_answered"]
    assert provider.name in notification_text(Notification.objects.get())


def test_advisers_hear_about_a_submitted_need(run_on_commit, adviser_user, business,
                                              business_user):
    from needs import services as needs_services

    need = factories.NeedFactory(organisation=business, status="draft")
    run_on_commit(needs_services.need_submit, need=need, by=business_user)
    assert _kinds(adviser_user) == ["need_submitted"]
    assert "sendt inn" in notification_text(Notification.objects.get())


def test_a_business_hears_when_its_need_is_covered(run_on_commit, business, business_user):
    from needs import services as needs_services

    need = factories.NeedFactory(organisation=business, status="in_brokering")
    run_on_commit(needs_services.need_mark_covered, need_id=need.pk,
                  by=factories.adviser())
    assert _kinds(business_user) == ["need_covered"]


def test_only_the_organisations_admins_hear_about_a_join_request(run_on_commit, business):
    from portal import services as portal_services

    admin = factories.member_of(business)
    Membership.objects.filter(user=admin).update(role=Membership.Role.ADMIN)
    plain = factories.member_of(business)
    Membership.objects.filter(user=plain).update(role=Membership.Role.MEMBER)
    newcomer = factories.UserFactory(full_name="Nina Ny")
    run_on_commit(portal_services.join_request_create, user=newcomer, organisation=business)
    assert _kinds(admin) == ["join_requested"] and _kinds(plain) == []
    assert "Nina Ny" in notification_text(Notification.objects.get())


def test_providers_in_the_area_hear_about_a_new_opportunity(run_on_commit):
    from matching.notices import tell_providers_about_opportunities

    forest = factories.ProviderFactory()
    forest_user = factories.member_of(forest)
    factories.OfferFactory(provider=forest, areas=["skog.motorsag"])
    other = factories.ProviderFactory()
    other_user = factories.member_of(other)
    factories.OfferFactory(provider=other, areas=["helse.demens"])
    cohort = factories.CohortFactory(area=factories.area("skog.motorsag"), participants=12)
    run_on_commit(tell_providers_about_opportunities, keys=[cohort.key])
    assert _kinds(forest_user) == ["cohort_opportunity"] and _kinds(other_user) == []
    assert "12" in notification_text(Notification.objects.get())


def test_the_email_is_written_in_the_recipients_language(run_on_commit):
    user = factories.adviser()
    user.language = "en"
    user.save()
    run_on_commit(notification_send, recipient=user, kind="need_covered",
                  params={"need": "Motorsag"}, link="/needs/1/")
    [message] = mail.outbox
    assert "Hello from Kompetanseportalen!" in message.body
    assert "Your need “Motorsag” is now covered." in message.subject
    assert f"{SITE}/needs/1/" in message.body


def test_digest_groups_a_days_notifications_into_one_email(run_on_commit):
    user = factories.adviser()
    for kind in ("need_submitted", "proposal_answered"):
        NotificationPreference.objects.create(user=user, kind=kind, delivery="digest")
    for n in range(3):
        run_on_commit(notification_send, recipient=user, kind="need_submitted",
                      params={"business": f"Bedrift {n}", "action": "sendt inn", "need": "X"},
                      link=f"/needs/{n}/")
    run_on_commit(notification_send, recipient=user, kind="proposal_answered",
                  params={"business": "B", "answer": "takket ja til", "offer": "Kurs"})
    assert mail.outbox == [], "digest notifications are not e-mailed at once"
    assert notification_digest_send() == 1
    [message] = mail.outbox
    assert "(4)" in message.subject
    for n in range(3):
        assert f"Bedrift {n}" in message.body and f"{SITE}/needs/{n}/" in message.body
    assert "En bedrift svarer på et forslag" in message.body  # grouped under each kind
    assert message.alternatives[0][1] == "text/html"
    assert notification_digest_send() == 0, "a second run sends nothing twice"


def test_none_means_listed_but_never_emailed(run_on_commit):
    user = factories.adviser()
    NotificationPreference.objects.create(user=user, kind="need_covered", delivery="none")
    run_on_commit(notification_send, recipient=user, kind="need_covered", params={"need": "X"})
    assert mail.outbox == [] and notification_digest_send() == 0
    assert unread_count(user=user) == 1


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        notification_send(recipient=factories.adviser(), kind="nonsense")


def test_list_page_unread_count_in_the_header_and_mark_read(client):
    user = factories.adviser()
    notice = notification_send(recipient=user, kind="need_covered", params={"need": "Sag"},
                               link=reverse("portal:dashboard"))
    notification_send(recipient=user, kind="need_covered", params={"need": "Hogst"})
    client.force_login(user)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-unread="2"' in html
    page = client.get(reverse("portal:notifications")).content.decode()
    assert "Behovet «Sag» er nå dekket." in page
    opened = client.post(reverse("portal:notification_read"), {"id": notice.pk})
    assert opened.status_code == 302 and opened.url == reverse("portal:dashboard")
    assert unread_count(user=user) == 1
    client.post(reverse("portal:notification_read"))
    assert unread_count(user=user) == 0
    assert 'data-unread' not in client.get(reverse("portal:dashboard")).content.decode()


def test_one_cannot_read_someone_elses_notifications(client):
    owner = factories.adviser()
    notice = notification_send(recipient=owner, kind="need_covered", params={"need": "X"},
                               link="/x/")
    other = Client()
    other.force_login(factories.adviser())
    response = other.post(reverse("portal:notification_read"), {"id": notice.pk})
    assert response.url == reverse("portal:notifications")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_account_page_saves_a_choice_per_kind(business_client, business_user):
    page = business_client.get(reverse("portal:account")).content.decode()
    assert 'id="notification-preferences"' in page
    assert 'name="need_covered"' in page and 'name="proposal_answered"' not in page
    response = business_client.post(reverse("portal:notification_settings"), {
        "need_covered": "digest", "join_requested": "none",
        "meeting_slot_requested": "immediate", "claim_decided": "immediate"})
    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=business_user)
                .values_list("kind", "delivery")) == {"need_covered": "digest",
                                                       "join_requested": "none",
                                                       "meeting_slot_requested": "immediate",
                                                       "claim_decided": "immediate"}


def test_every_portal_email_has_an_html_part_with_clickable_links():
    from portal.mail import mail_send_localised

    user = factories.adviser()
    mail_send_localised(to=[user.email], compose=lambda: (
        "Kvittering", f"Hei!\n\nSe svaret her:\n{SITE}/needs/\n"))
    [message] = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'<a href="{SITE}/needs/"' in html


def test_allauth_emails_greet_from_the_portal_not_the_host(client):
    from portal.models import User

    client.post(reverse("account_signup"), {"email": "ny@example.no",
                                            "password1": "Langt-passord-2026",
                                            "password2": "Langt-passord-2026"})
    assert User.objects.filter(email="ny@example.no").exists()
    body = mail.outbox[-1].body
    assert "Hei fra Kompetanseportalen!" in body
    assert "testserver" not in body.split("\n")[0]


def test_advisers_hear_only_of_what_their_scope_lets_them_open():
    from needs.notices import tell_advisers_about_need
    from portal.models import Notification
    from portal.notifications import adviser_users, advisers_for

    county = factories.adviser(email="fylke@fylke.no")
    seljord = factories.scoped_adviser("4022", email="seljord@fylke.no")
    vinje = factories.scoped_adviser("4036", email="vinje@fylke.no")
    business = factories.BusinessFactory(municipality=factories.municipality("4022"))
    assert set(advisers_for(business)) == {county, seljord}
    assert set(adviser_users()) == {county, seljord, vinje}
    assert set(adviser_users(municipalities=["4036"])) == {county, vinje}
    tell_advisers_about_need(need=factories.NeedFactory(organisation=business), changed=False,
                             by=factories.UserFactory())
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        "fylke@fylke.no", "seljord@fylke.no"}
