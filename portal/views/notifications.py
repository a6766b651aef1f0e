"""A person's notifications (the bell in the header) and their e-mail preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from portal.models import NotificationPreference
from portal.notifications import (
    KINDS,
    notification_mark_read,
    notification_preferences_save,
    notification_text,
    notifications_for_user,
    preferences_for_user,
)


class NotificationPreferencesForm(forms.Form):
    """One radio group per kind the person can receive."""

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = preferences_for_user(user=user)
        for code in kinds_for_user(user):
            self.fields[code] = forms.ChoiceField(
                label=KINDS[code].label, choices=NotificationPreference.Delivery.choices,
                widget=forms.RadioSelect, initial=current[code])


def kinds_for_user(user) -> list[str]:
    """Kinds the person can get: advisers the county side's, members their organisation's."""
    kinds = set(access.organisations_for_user(user=user).values_list("kind", flat=True))
    audiences = {"member"} | kinds | ({"adviser"} if access.is_adviser(user) else set())
    return [code for code, kind in KINDS.items() if kind.audience in audiences]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(user=request.user), 30).get_page(
        request.GET.get("page"))
    for notification in page.object_list:
        notification.text = notification_text(notification)
    return render(request, "portal/notifications/list.html", {"page_obj": page})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Marks one (`id`) or all notifications read; opening one follows its link."""
    raw = request.POST.get("id", "")
    if raw.isdigit():
        notification = notifications_for_user(user=request.user).filter(pk=int(raw)).first()
        notification_mark_read(user=request.user, ids=[int(raw)])
        if notification is not None and notification.link.startswith("/"):
            return redirect(notification.link)
    else:
        notification_mark_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
    return redirect("portal:notifications")


@login_required
@require_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationPreferencesForm(request.POST, user=request.user)
    if form.is_valid():
        notification_preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification choices are saved."))
    else:
        messages.error(request, _("Choose one option for each kind of notification."))
    return redirect(reverse("portal:account") + "#notifications")
