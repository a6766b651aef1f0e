"""Webhooks per the Standard Webhooks specification: signed (checked with the independent
`standardwebhooks` package), written in the change's transaction (outbox), retried on the
specification's schedule with jitter (a controlled clock), switched off by 410, logged and
re-sendable from the page, never sent to private addresses in production."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from needs import services as need_services
from needs.models import Need
from offers import services as offer_services
from portal.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage
from portal.webhooks import EVENT_TYPES
from portal.webhooks.delivery import RETRY_DELAYS, webhook_delivery_attempt
from portal.webhooks.services import webhook_endpoint_create, webhook_endpoint_rotate_secret
from portal.webhooks.tasks import webhook_sweep
from tests import factories
from tests.celery_worker import publishing_to
from tests.portal.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def receiver():
    found, server = start_receiver()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def county():
    return factories.adviser().memberships.get().organisation


def _manager(organisation):
    """Who registers the organisation's endpoints: a member of it (an admin for a business)."""
    membership = organisation.memberships.select_related("user").first()
    return membership.user if membership else factories.member_of(organisation)


def endpoint_for(organisation, receiver, events=("need.submitted",)):
    return webhook_endpoint_create(organisation=organisation, url=receiver.url,
                                   events=list(events), by=_manager(organisation))


def submit_draft(business, capture) -> Need:
    need = factories.NeedFactory(organisation=business, status=Need.Status.DRAFT)
    with capture(execute=True):
        need_services.need_submit(need=need, by=factories.UserFactory())
    return need


def test_delivery_is_signed_as_the_specification_says(
        county, receiver, django_capture_on_commit_callbacks):
    endpoint, secret = endpoint_for(county, receiver)
    need = submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    [received] = receiver.requests
    payload = Webhook(secret).verify(received.body, received.headers)
    assert payload["type"] == "need.submitted" and payload["data"]["id"] == need.pk
    assert received.headers["webhook-id"].startswith("msg_")
    assert received.headers["content-type"] == "application/json"
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint_for(county, receiver)[1]).verify(received.body, received.headers)
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == "answered 200"
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED


def test_rotated_secret_signs_with_both_during_the_overlap(
        county, receiver, django_capture_on_commit_callbacks):
    endpoint, old = endpoint_for(county, receiver)
    new = webhook_endpoint_rotate_secret(endpoint=endpoint)
    submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    [received] = receiver.requests
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(received.body, received.headers)
    Webhook(new).verify(received.body, received.headers)
    # After the overlap only the new secret signs.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_until=timezone.now() - dt.timedelta(seconds=1))
    submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    later = receiver.requests[1]
    Webhook(new).verify(later.body, later.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(later.body, later.headers)


def test_failures_are_retried_on_the_schedule_with_jitter_then_given_up(
        county, receiver, django_capture_on_commit_callbacks):
    receiver.codes = [500]
    endpoint_for(county, receiver)
    with django_capture_on_commit_callbacks(execute=False):  # attempts driven by the clock
        need_services.need_submit(need=factories.NeedFactory(status=Need.Status.DRAFT),
                                  by=factories.UserFactory())
    delivery = WebhookDelivery.objects.get()
    now = timezone.now() + dt.timedelta(seconds=1)
    for number, delay in enumerate(RETRY_DELAYS, start=1):
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=now) is not None
        delivery.refresh_from_db()
        assert delivery.failures == number and delivery.status == "pending"
        wait = delivery.next_attempt_at - now
        assert delay <= wait <= delay * 1.1  # up to 10 % of jitter, never early
        # Not due a moment before: nothing is sent.
        assert webhook_delivery_attempt(delivery_id=delivery.pk,
                                        now=delivery.next_attempt_at - dt.timedelta(
                                            milliseconds=1)) is None
        now = delivery.next_attempt_at
    assert webhook_delivery_attempt(delivery_id=delivery.pk, now=now) is not None
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert len(receiver.requests) == len(RETRY_DELAYS) + 1 == 10
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1  # one message id
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 10


def test_sweep_sends_due_retries(county, receiver, django_capture_on_commit_callbacks):
    receiver.codes = [503, 200]
    endpoint_for(county, receiver)
    submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.failures == 1
    assert webhook_sweep() == 0  # the retry is not due yet
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhook_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.requests) == 2


def test_410_switches_the_endpoint_off_and_tells_its_admins(
        receiver, django_capture_on_commit_callbacks):
    business = factories.BusinessFactory()
    admin = factories.member_of(business)
    receiver.codes = [410]
    endpoint, _secret = endpoint_for(business, receiver, events=["need.submitted",
                                                                 "need.withdrawn"])
    need = submit_draft(business, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == "failed"
    [notice] = mail.outbox
    assert admin.email in notice.to and endpoint.url in notice.body
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_withdraw(need=need)
    assert len(receiver.requests) == 1  # nothing more goes to a switched-off endpoint


def test_event_is_in_the_outbox_of_the_same_transaction(county, receiver):
    endpoint_for(county, receiver)
    need = factories.NeedFactory(status=Need.Status.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        need_services.need_submit(need=need, by=factories.UserFactory())
        assert WebhookMessage.objects.count() == 1
        raise RuntimeError("the change is rolled back")
    assert not WebhookMessage.objects.exists() and not WebhookDelivery.objects.exists()


def test_outbox_delivers_after_a_broker_outage(
        county, receiver, django_capture_on_commit_callbacks, caplog):
    endpoint_for(county, receiver)
    with publishing_to("redis://127.0.0.1:1/0", result_backend=None):
        need = submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    assert Need.objects.get(pk=need.pk).status == Need.Status.SUBMITTED
    assert receiver.requests == [] and "broker unreachable" in caplog.text
    assert WebhookDelivery.objects.get().status == "pending"
    assert webhook_sweep() == 1  # the broker is back (eager again): the sweep sends it
    [received] = receiver.requests
    assert json.loads(received.body)["data"]["id"] == need.pk


def test_payload_goes_only_to_who_may_see_it(county, django_capture_on_commit_callbacks):
    own, other, provider = (factories.BusinessFactory(), factories.BusinessFactory(),
                            factories.ProviderFactory())
    hooks = {}
    for name, org in (("own", own), ("other", other), ("county", county),
                      ("provider", provider)):
        hooks[name], _ = webhook_endpoint_create(organisation=org, url="http://127.0.0.1:9/",
                                                 events=list(EVENT_TYPES), by=_manager(org))
    with django_capture_on_commit_callbacks(execute=False):
        need_services.need_submit(need=factories.NeedFactory(organisation=own,
                                                             status=Need.Status.DRAFT),
                                  by=factories.UserFactory())
        offer = factories.OfferFactory(provider=provider, status="draft")
        offer_services.offer_publish(offer=offer)

    def receivers(event_type):
        return {name for name, e in hooks.items() if WebhookDelivery.objects.filter(
            endpoint=e, message__event_type=event_type).exists()}

    assert receivers("need.submitted") == {"own", "county"}
    assert receivers("offer.published") == {"own", "other", "county", "provider"}


def test_each_event_is_emitted_by_its_service(county, django_capture_on_commit_callbacks):
    from matching import services as matching_services
    from matching.models import CohortRequest

    webhook_endpoint_create(organisation=county, url="http://127.0.0.1:9/",
                            events=list(EVENT_TYPES), by=_manager(county))
    provider = factories.ProviderFactory()
    with django_capture_on_commit_callbacks(execute=False):
        need = factories.NeedFactory(status=Need.Status.DRAFT)
        need_services.need_submit(need=need, by=factories.UserFactory())
        need_services.need_withdraw(need=need)
        first, second = factories.MatchFactory(status="approved"), factories.MatchFactory(
            status="approved")
        matching_services.match_propose(match_id=first.pk, by=_manager(county))
        matching_services.match_accept(match_id=first.pk, by=factories.UserFactory())
        matching_services.match_propose(match_id=second.pk, by=_manager(county))
        matching_services.match_decline(match_id=second.pk, reason="cost",
                                        by=factories.UserFactory())
        offer = factories.OfferFactory(provider=provider)
        offer_services.offer_archive(offer=offer)
        offer_services.offer_unpublish(offer=factories.OfferFactory(provider=provider))
        cohort = factories.CohortFactory()
        matching_services.cohort_send_to_providers(cohort_id=cohort.pk, provider_ids=[provider.pk],
                                                   by=_manager(county))
        matching_services.cohort_request_respond(request_id=CohortRequest.objects.get().pk,
                                                 status="interested", response="Vi kan",
                                                 by=factories.member_of(provider))
    emitted = sorted(WebhookMessage.objects.values_list("event_type", flat=True))
    assert emitted == sorted([*set(EVENT_TYPES) - {"offer.published"}, "match.proposed"])
    answered = WebhookMessage.objects.get(event_type="cohort.answered").payload["data"]
    assert answered["status"] == "interested" and "businesses" not in answered["cohort"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "https://10.0.0.5/hook",
                                 "https://localhost/hook", "https://[::1]/hook",
                                 "https://169.254.169.254/latest", "ftp://example.no/"])
def test_private_and_loopback_targets_are_refused_in_production(settings, county, url):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError) as error:
        webhook_endpoint_create(organisation=county, url=url, events=["need.submitted"],
                                by=_manager(county))
    assert "url" in error.value.message_dict


def test_private_target_is_checked_again_before_each_attempt(
        settings, county, receiver, django_capture_on_commit_callbacks):
    endpoint_for(county, receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and attempt.error


def test_page_registers_an_endpoint_and_shows_the_secret_once(adviser_client, receiver):
    response = adviser_client.post(reverse("portal:webhook_list"), {
        "organisation": WebhookEndpoint._meta.get_field("organisation").related_model.objects
        .get(kind="county").pk, "url": receiver.url, "events": ["need.submitted", "match.proposed"],
        "description": "Saksbehandling"})
    assert response.status_code == 201 and "no-store" in response["Cache-Control"]
    secret = response.context["new_secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["match.proposed", "need.submitted"]
    page = adviser_client.get(reverse("portal:webhook_detail", args=[endpoint.pk]))
    assert page.status_code == 200 and secret not in page.content.decode()


def test_page_refuses_bad_input(adviser_client, county):
    response = adviser_client.post(reverse("portal:webhook_list"), {
        "organisation": county.pk, "url": "not a url", "events": []})
    assert response.status_code == 400
    assert {"url", "events"} <= set(response.context["form"].errors)


def test_resend_from_the_page_logs_a_new_attempt(
        adviser_client, county, receiver, django_capture_on_commit_callbacks):
    receiver.codes = [500, 200]
    endpoint, secret = endpoint_for(county, receiver)
    submit_draft(factories.BusinessFactory(), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    page = adviser_client.get(reverse("portal:webhook_detail", args=[endpoint.pk]))
    assert "HTTP 500" in page.content.decode()
    response = adviser_client.post(reverse("portal:webhook_resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert [a.resend for a in delivery.attempts.order_by("pk")] == [False, True]
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers[
        "webhook-id"]
    Webhook(secret).verify(receiver.requests[1].body, receiver.requests[1].headers)


def test_others_cannot_see_or_touch_an_endpoint(
        client, county, receiver, django_capture_on_commit_callbacks):
    endpoint, _secret = endpoint_for(county, receiver)
    with django_capture_on_commit_callbacks(execute=False):
        need_services.need_submit(need=factories.NeedFactory(status=Need.Status.DRAFT),
                                  by=factories.UserFactory())
    delivery = WebhookDelivery.objects.get()
    business = factories.BusinessFactory()
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organisation=business, role="member")
    client.force_login(member)
    assert client.get(reverse("portal:webhook_list")).status_code == 404  # not an admin
    client.force_login(factories.member_of(business))  # an admin, but of another organisation
    assert client.get(reverse("portal:webhook_detail", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("portal:webhook_rotate", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("portal:webhook_delete", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("portal:webhook_resend", args=[delivery.pk])).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not WebhookAttempt.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_delivers_the_outbox_once_the_broker_is_back(
        redis_url, postgres_only, receiver, monkeypatch):
    from tests.celery_worker import running_worker, wait_for

    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")  # the worker's settings
    county = factories.adviser().memberships.get().organisation
    _endpoint, secret = endpoint_for(county, receiver)
    need = factories.NeedFactory(status=Need.Status.DRAFT)
    with publishing_to("redis://127.0.0.1:1/0", result_backend=None):
        # commits; queuing the delivery fails
        need_services.need_submit(need=need, by=factories.UserFactory())
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == "pending"
    with running_worker(redis_url):
        webhook_sweep.delay()  # what celery beat does every minute
        wait_for(lambda: receiver.requests)
        wait_for(lambda: WebhookDelivery.objects.get().status == "succeeded")
    payload = Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
    assert payload["data"]["id"] == need.pk


@pytest.mark.services
def test_a_short_retry_is_queued_with_its_countdown_after_commit(
        county, receiver, redis_url, django_capture_on_commit_callbacks):
    import base64

    import redis as redis_lib

    receiver.codes = [500]
    endpoint_for(county, receiver)
    with django_capture_on_commit_callbacks(execute=False):  # the first attempt by hand
        need_services.need_submit(need=factories.NeedFactory(status=Need.Status.DRAFT),
                                  by=factories.UserFactory())
    delivery = WebhookDelivery.objects.get()
    queue = redis_lib.Redis.from_url(redis_url)
    with publishing_to(redis_url), django_capture_on_commit_callbacks(execute=True):
        before = timezone.now()
        webhook_delivery_attempt(delivery_id=delivery.pk, now=before)
        assert queue.llen("celery") == 0  # nothing is queued before the commit
    [raw] = queue.lrange("celery", 0, -1)
    message = json.loads(raw)
    assert message["headers"]["task"] == "portal.webhooks.tasks.webhook_deliver"
    args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert args == [delivery.pk]
    wait = dt.datetime.fromisoformat(message["headers"]["eta"]) - before
    assert RETRY_DELAYS[0] <= wait <= RETRY_DELAYS[0] * 1.1 + dt.timedelta(seconds=5)


def test_unpublishing_an_offer_tells_receivers_it_left_the_catalogue(
        county, provider_user, provider, provider_client, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    stranger = factories.BusinessFactory()
    for org in (county, provider, stranger):
        webhook_endpoint_create(organisation=org, url="http://127.0.0.1:9/",
                                events=["offer.unpublished"], by=_manager(org))
    by_api = factories.OfferFactory(provider=provider, status="draft")
    by_page = factories.OfferFactory(provider=provider, status="draft")
    api = APIClient()
    api.force_authenticate(provider_user)
    with django_capture_on_commit_callbacks(execute=False):
        for offer in (by_api, by_page):
            offer_services.offer_publish(offer=offer)
        assert api.post(reverse("api-offer-unpublish", args=[by_api.pk])).status_code == 200
        provider_client.post(reverse("offers:action", args=[by_page.pk, "unpublish"]))
        # Again: nothing changes, nothing is sent.
        assert api.post(reverse("api-offer-unpublish", args=[by_api.pk])).status_code == 200
        # Archived, then back to draft: it was not in the catalogue, so no event.
        archived = factories.OfferFactory(provider=provider)
        offer_services.offer_archive(offer=archived)
        offer_services.offer_unpublish(offer=archived)
    messages = WebhookMessage.objects.filter(event_type="offer.unpublished").order_by("pk")
    assert [m.payload["data"]["id"] for m in messages] == [by_api.pk, by_page.pk]
    assert all(m.payload["data"]["status"] == "draft" for m in messages)
    # It had been public, so its leaving the catalogue is too: every endpoint hears of it.
    assert WebhookDelivery.objects.filter(message__in=messages).count() == 6
