"""`{% site_navigation %}` and `{% language_switcher %}`: the main menu and the language form of
every page, rendered once per process for each language (and set of links), and reused.

The menu is the same for everyone with the same language, roles and unread count; rendering
it (a dozen reversed URLs and translations) was a large share of a light page. The one
per-visitor part, the log-out form's CSRF token, is put in on the way out: the page's own
token, so every form on a page carries the same one (`portal.page_cache` relies on that). The
language form's per-visitor parts, its token and the page's path, are put in the same way.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import access
from portal.models import Organisation
from portal.notifications.selectors import unread_count

register = template.Library()

_PLACEHOLDER = "__kp_navigation_csrf__"
_PATH_PLACEHOLDER = "__kp_switcher_next__"


@functools.lru_cache(maxsize=512)  # languages × roles × unread counts actually seen
def _navigation(language: str, signed_in: bool, business: bool, provider: bool,
                adviser: bool, unread: int) -> tuple[str, ...]:
    html = render_to_string("_navigation.html", {
        "signed_in": signed_in, "unread_notifications": unread, "csrf_token": _PLACEHOLDER,
        "roles": {"business": business, "provider": provider, "adviser": adviser},
    })
    return tuple(html.split(_PLACEHOLDER))


@register.simple_tag(takes_context=True)
def site_navigation(context) -> str:
    # The request's own user: a page's context may name something else "user" or "roles".
    user = getattr(context.get("request"), "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    kinds = access.organisation_kinds(user) if signed_in else set()
    links = (Organisation.Kind.BUSINESS in kinds, Organisation.Kind.PROVIDER in kinds,
             signed_in and access.is_adviser(user))
    unread = unread_count(user=user) if signed_in else 0
    # While developing, a changed template shows at once.
    render = _navigation.__wrapped__ if settings.DEBUG else _navigation
    parts = render(get_language() or "", signed_in, *links, unread)
    token = escape(str(context.get("csrf_token") or ""))
    return mark_safe(token.join(parts))


@functools.lru_cache(maxsize=16)
def _switcher(language: str) -> tuple[str, str, str]:
    """`_language_switcher.html` around its token and its path: (before, between, after)."""
    html = render_to_string("_language_switcher.html", {
        "csrf_token": _PLACEHOLDER,
        "request": SimpleNamespace(get_full_path=lambda: _PATH_PLACEHOLDER),
    })
    before, rest = html.split(_PLACEHOLDER)
    between, after = rest.split(_PATH_PLACEHOLDER)
    return before, between, after


@register.simple_tag(takes_context=True)
def language_switcher(context) -> str:
    """The language form (`_language_switcher.html`) with this page's token and path."""
    request, token = context.get("request"), context.get("csrf_token")
    if request is None or not token or settings.DEBUG:
        return render_to_string("_language_switcher.html", context.flatten())
    before, between, after = _switcher(get_language() or "")
    return mark_safe(  # the template's markup, the token and the path escaped
        f"{before}{escape(str(token))}{between}{escape(request.get_full_path())}{after}")
