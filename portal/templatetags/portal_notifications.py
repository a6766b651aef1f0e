"""`{% notification_preferences %}`: the account page's e-mail choices per kind of notice."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("portal/notifications/_preferences.html", takes_context=True)
def notification_preferences(context) -> dict:
    from portal.views.notifications import NotificationPreferencesForm

    request = context["request"]
    return {"form": NotificationPreferencesForm(user=request.user), "csrf_token":
            context.get("csrf_token")}
