from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import access
from .page_cache import versions_read_once


class ContentSecurityPolicyMiddleware:
    """No inline scripts, nothing from other origins: all assets are vendored under static/."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; object-src 'none'"
    )
    # The admin (its change lists) and Swagger UI (its page head) carry inline <style> blocks;
    # scripts stay our own files: the API docs use the split view, which serves its setup
    # script as a file, and the admin has no inline scripts.
    ADMIN_AND_API_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/admin/", "/api/")):
            response.headers.setdefault("Content-Security-Policy", self.ADMIN_AND_API_POLICY)
        else:
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=()")
        if not settings.DEBUG:
            response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class SecondFactorRequiredMiddleware:
    """Advisers and staff without a second factor may only set one up (or sign out).

    `access.is_adviser` already refuses them adviser rights everywhere; this sends them to the
    set-up page instead of a bare 403, and keeps staff out of the admin until they have one.
    """

    # allauth's pages (two-factor set-up, e-mail, password, logout) and what every page loads.
    OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.OPEN_PREFIXES) or not access.second_factor_missing(
                request.user):
            return self.get_response(request)
        message = _("Set up two-factor sign-in first: advisers and administrators need a code "
                    "from an authenticator app or a passkey, not just a password.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "second_factor_required"},
                                status=403)
        setup = reverse("mfa_index")
        messages.info(request, message)
        response = HttpResponseRedirect(setup)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = setup
        return response


class VersionsReadOnceMiddleware:
    """Each cached group's version is read from the cache once per request
    (`page_cache.versions_read_once`), however many parts of the page ask for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versions_read_once():
            return self.get_response(request)


class PrivateCacheMiddleware:
    """Whatever a signed-in person is shown may hold personal data: no shared cache (proxy,
    CDN) may keep it, and the browser may not store it either. The API sets `request.user`
    on the underlying request when it authenticates, so its answers are covered too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


# Set on the request by `language_apply_at_login`; the middleware below turns it into the
# language cookie of the login's response.
LOGIN_LANGUAGE_ATTR = "_portal_login_language"


def language_cookie_set(response, language: str) -> None:
    """The cookie Django's LocaleMiddleware reads: the next pages are in `language`."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def language_apply_at_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver (connected in `PortalConfig.ready`): the interface switches to
    the language stored on the user — the one they last chose on any device — from the login
    response on (its "signed in" message too). A user with none keeps the current language."""
    language = getattr(user, "language", "")
    # Only a request on its way through the middleware: the test client's `force_login` (a
    # bare request, outside any response) must not switch the test's own language.
    if not hasattr(request, "LANGUAGE_CODE") or language not in dict(settings.LANGUAGES):
        return
    setattr(request, LOGIN_LANGUAGE_ATTR, language)
    translation.activate(language)
    request.LANGUAGE_CODE = language


class LoginLanguageMiddleware:
    """Sets the language cookie on the response of a request in which the user logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, LOGIN_LANGUAGE_ATTR, None)
        if language:
            language_cookie_set(response, language)
        return response
