"""Webhook endpoints of an organisation: register, change, rotate the secret, see every
delivery attempt and send one again. Org admins manage their organisation's; advisers the
county's. Someone else's endpoint is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..models import WebhookDelivery, WebhookEndpoint
from ..webhooks.delivery import webhook_delivery_resend
from ..webhooks.events import EVENT_TYPES
from ..webhooks.forms import WebhookEndpointForm
from ..webhooks.services import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)

RECENT_DELIVERIES = 50


def _form_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _shown_once(response):
    response["Cache-Control"] = "no-store"  # the page carries a secret
    return response


@login_required
def webhook_list(request):
    organisations = access.webhook_organisations(user=request.user)
    if not organisations:
        raise Http404
    form = WebhookEndpointForm(request.POST or None, organisations=organisations)
    secret = endpoint = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = webhook_endpoint_create(
                organisation=data["organisation"], url=data["url"], events=data["events"],
                description=data["description"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            form = WebhookEndpointForm(organisations=organisations)
    endpoints = WebhookEndpoint.objects.filter(
        organisation__in=organisations).select_related("organisation")
    status = 400 if request.method == "POST" and secret is None else (
        201 if secret else 200)
    return _shown_once(render(request, "portal/webhooks/list.html", {
        "form": form, "endpoints": endpoints, "new_secret": secret, "new_endpoint": endpoint,
        "event_labels": EVENT_TYPES,
    }, status=status))


@login_required
def webhook_detail(request, pk: int, new_secret: str | None = None):
    endpoint = access.webhook_endpoint_for_manager(user=request.user, pk=pk)
    initial = {"url": endpoint.url, "description": endpoint.description,
               "events": endpoint.events, "is_active": endpoint.is_active}
    form = WebhookEndpointForm(request.POST or None, initial=initial, editing=True,
                               organisations=None)
    if request.method == "POST" and new_secret is None and form.is_valid():
        data = form.cleaned_data
        try:
            webhook_endpoint_update(endpoint=endpoint, url=data["url"], events=data["events"],
                                    description=data["description"],
                                    is_active=data["is_active"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("portal:webhook_detail", pk=endpoint.pk)
    if new_secret is not None:
        form = WebhookEndpointForm(initial=initial, editing=True, organisations=None)
    deliveries = (WebhookDelivery.objects.filter(endpoint=endpoint)
                  .select_related("message").prefetch_related("attempts")
                  [:RECENT_DELIVERIES])
    return _shown_once(render(request, "portal/webhooks/detail.html", {
        "endpoint": endpoint, "form": form, "deliveries": deliveries, "new_secret": new_secret,
        "event_labels": EVENT_TYPES,
    }, status=400 if form.errors else 200))


@login_required
@require_POST
def webhook_rotate(request, pk: int):
    endpoint = access.webhook_endpoint_for_manager(user=request.user, pk=pk)
    secret = webhook_endpoint_rotate_secret(endpoint=endpoint)
    return webhook_detail(request, pk=endpoint.pk, new_secret=secret)


@login_required
@require_POST
def webhook_delete(request, pk: int):
    endpoint = access.webhook_endpoint_for_manager(user=request.user, pk=pk)
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, _("The endpoint is deleted."))
    return redirect("portal:webhook_list")


@login_required
@require_POST
def webhook_resend(request, pk: int):
    delivery = access.webhook_delivery_for_manager(user=request.user, pk=pk)
    attempt = webhook_delivery_resend(delivery=delivery)
    if attempt is None:
        messages.error(request, _("The endpoint is switched off; switch it on to send again."))
    elif attempt.status_code and 200 <= attempt.status_code < 300:
        messages.success(request, _("Sent again: the receiver answered %(code)s.") % {
            "code": attempt.status_code})
    else:
        messages.error(request, _("Sent again, but it failed (%(why)s); it will be retried.")
                       % {"why": attempt.status_code or attempt.error})
    return redirect("portal:webhook_detail", pk=delivery.endpoint_id)
