"""Public pages cached per URL and language, and revalidated cheaply (ETag / Last-Modified).

An anonymous visitor's catalogue or offer page is the same for everyone asking for the same
URL in the same language on the same day, until the data behind it changes. `public_page`
keeps such a page in the shared cache under a key made of the URL, the language, the date,
htmx or not, and the *version* of its group ("offers"); changing the data bumps the version
(`page_cache_invalidate`, on commit), so the next visitor gets a fresh page at once and the
old entries simply expire. The entry records the version it was rendered at, so a hit reads
the version and the page in one round trip to the cache (`get_many`) and an entry of an
older version counts as a miss.

The one per-visitor part of a page is its CSRF token (the language switcher and htmx send
it). It is cut out of the stored page and the visitor's own token put in on the way out, so a
cached page never carries someone else's token. The ETag includes a digest of the visitor's
CSRF cookie for the same reason: a browser whose cookie changed gets the page again, not a
304 for a page whose token no longer fits. Logged-in visitors, and visitors with a flash
message waiting, always get the view itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

PAGE_SECONDS = 600  # an entry's lifetime; a version bump makes it unreachable sooner
VERSION_KEY = "page-cache:{group}:version"
PLACEHOLDER = "__kp_csrf_token__"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')


# The versions already read in the current request. A page asks for the same group's version
# from several places (its selectors, its memoised forms and words); within one request the
# first answer stands, which saves the cache round trips and keeps the page consistent.
# Outside a request (a task, a command) nothing is kept.
_request_versions: ContextVar[dict[str, float] | None] = ContextVar(
    "page_cache_request_versions", default=None)


@contextmanager
def versions_read_once() -> Iterator[None]:
    """Within the block, each group's version is read from the cache at most once."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def _forget_version(group: str) -> None:
    kept = _request_versions.get()
    if kept is not None:
        kept.pop(group, None)


def _remember_version(group: str, version: float) -> float:
    kept = _request_versions.get()
    if kept is not None:
        kept.setdefault(group, version)
    return version


def group_version(group: str) -> float:
    """When the group's data last changed (a UNIX time; set on first use)."""
    kept = _request_versions.get()
    if kept is not None and group in kept:
        return kept[group]
    key = VERSION_KEY.format(group=group)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time(), None)
        version = cache.get(key) or time.time()
    return _remember_version(group, float(version))


def group_versions(*groups: str) -> tuple[float, ...]:
    """`group_version` of each group, read from the cache in one round trip (a page that
    keeps data of several groups)."""
    kept = _request_versions.get()
    known = kept if kept is not None else {}
    keys = {group: VERSION_KEY.format(group=group) for group in groups if group not in known}
    if keys:
        found = cache.get_many(list(keys.values()))
        known.update({group: float(found[key]) for group, key in keys.items()
                      if found.get(key) is not None})
    return tuple(known[group] if group in known else group_version(group) for group in groups)


def page_cache_invalidate(group: str, *, after_commit: bool = True) -> None:
    """Every cached page of the group is stale from now on, and again once the current
    transaction commits: a page rendered meanwhile from the not yet committed data's old state
    would otherwise stay cached under the new version. `after_commit=False` for a caller
    that already runs after the commit (or publishes what was computed from committed data)."""
    key = VERSION_KEY.format(group=group)
    cache.set(key, time.time(), None)
    _forget_version(group)
    if after_commit:
        def bump_again() -> None:
            cache.set(key, time.time(), None)
            _forget_version(group)

        transaction.on_commit(bump_again)


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "messages" in request.COOKIES:  # a flash message is for this visitor only
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _conditional_headers(response: HttpResponse, etag: str, last_modified: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Stored by browsers (and by proxies per cookie), but always revalidated: a 304 is cheap.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def public_page(group: str) -> Callable:
    """Cache a public view's page for anonymous visitors; see the module's docstring."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            today = timezone.localdate()
            page_key = _digest(request.get_full_path(), get_language() or "",
                               today.isoformat(), request.headers.get("HX-Request", ""))
            key = f"page-cache:{group}:{page_key}"
            version, stored = _version_and_entry(group, key)
            # The visitor's token (a new visitor's cookie is minted here, as the page would);
            # its secret is part of the ETag.
            token = get_token(request)
            secret = request.META.get("CSRF_COOKIE", "")
            etag = f'"{_digest(page_key, repr(version))[:20]}-{_digest(secret)[:8]}"'
            midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min)).timestamp()
            last_modified = int(max(version, midnight))
            not_modified = get_conditional_response(request, etag=etag,
                                                    last_modified=last_modified)
            if not_modified is not None:
                _conditional_headers(not_modified, etag, last_modified)
                return not_modified
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                stored = _store(key, version, response)
            body, content_type = stored
            if PLACEHOLDER in body:
                body = body.replace(PLACEHOLDER, token)
            response = HttpResponse(body, content_type=content_type)
            _conditional_headers(response, etag, last_modified)
            return response

        return wrapper

    return decorator


def _version_and_entry(group: str, key: str) -> tuple[float, tuple[str, str] | None]:
    """The group's version and the (body, content type) stored under `key` if it was rendered
    at that version: one round trip to the cache."""
    version_key = VERSION_KEY.format(group=group)
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        return group_version(group), None
    # The view, on a miss, reads the group's data at this version too.
    version = _remember_version(group, float(version))
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return version, None
    return version, entry[1:]


def _store(key: str, version: float, response: HttpResponse) -> tuple[str, str]:
    """Store the page as rendered at `version` (read before the view ran: a page rendered
    from data that changed meanwhile is stored under the old version, so never served)."""
    charset = response.charset or "utf-8"
    body = response.content.decode(charset)
    found = _TOKEN.search(body)
    if found:
        body = body.replace(found.group(1), PLACEHOLDER)
    cache.set(key, (version, body, response["Content-Type"]), PAGE_SECONDS)
    return body, response["Content-Type"]


# What an API list may be stored as: JSON and CSV are the same for every anonymous client;
# the browsable API's page carries a CSRF token and is rendered for each visitor.
STORED_FORMATS = frozenset({"json", "csv"})


def _api_key(group: str, request) -> str | None:
    """The cache key of the request's anonymous API answer, or None if it is not stored."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return None
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.format not in STORED_FORMATS:
        return None
    return "api-cache:{}:{}".format(group, _digest(
        request.build_absolute_uri(), request.accepted_media_type, get_language() or "",
        timezone.localdate().isoformat()))


def _api_lookup(request, group: str) -> tuple[float, str | None, tuple | None]:
    """(the group's version, the answer's key, the stored (content, content type) if it was
    rendered at that version), read once per request in one round trip: an API list's ETag
    and its cached answer agree."""
    memo = getattr(request, "_request", request).__dict__.setdefault("_page_cache_api", {})
    if group not in memo:
        key = _api_key(group, request)
        if key is None:
            memo[group] = (group_version(group), None, None)
        else:
            version, stored = _version_and_entry(group, key)
            memo[group] = (version, key, stored)
    return memo[group]


def request_group_version(request, group: str) -> float:
    """The group's version as this request sees it (read once; see `_api_lookup`)."""
    return _api_lookup(request, group)[0]


def public_api_list(group: str, request, build: Callable[[], object]):
    """An anonymous API list answer, cached like the public pages: per URL (with the host, as
    the pagination links are absolute), media type, language and day, stored with the
    group's version it was built at, so a change to the group's data shows at once. The
    rendered bytes are stored, one entry per media type (the renderer has followed the
    request's `Accept`), so a hit renders nothing. DRF has authenticated the request and
    applied its throttles before this runs; `build()` gives the view's own Response.
    Logged-in clients always get the view itself."""
    version, key, stored = _api_lookup(request, group)
    if key is None:
        return build()
    if stored is not None:
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)
    response = build()
    if getattr(response, "status_code", None) == 200 and hasattr(
            response, "add_post_render_callback"):
        # The version was read before the data: an answer built from data that changed
        # meanwhile is stored under the old version, never served as the new one.
        response.add_post_render_callback(lambda rendered: cache.set(
            key, (version, rendered.content, rendered["Content-Type"]), PAGE_SECONDS))
    return response
