from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse

from .models import Membership, Organisation


def _on_site(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not settings.SITE_URL:
        return url
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.SITE_URL.rstrip("/") + path


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # A new user without an organisation is sent on to register or join one.
        if not request.user.memberships.exists():
            return reverse("portal:organisation_start")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # The greeting names the portal ("Hei fra Kompetanseportalen!"), not the server's
        # host and port, which is what allauth's site name is without the sites framework.
        # The body's "an account on …" names the portal's public address (SITE_URL) likewise.
        site = SimpleNamespace(name=settings.SITE_NAME,
                               domain=urlsplit(settings.SITE_URL).netloc or settings.SITE_NAME)
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL,
                   "current_site": site}
        # Links (activate_url, password_reset_url, signup_url) point at SITE_URL, as in the
        # portal's own e-mails, not at whatever host the request came in on.
        for key, value in context.items():
            if key.endswith("_url") and key != "site_url" and isinstance(value, str):
                context[key] = _on_site(value)
        # Every message also gets an HTML part: `account/email/*_message.html` (and
        # `mfa/email/…`) render the text version in the portal's e-mail layout.
        super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Advisers and staff keep at least one second factor (TOTP or passkey); they may
        replace one by adding the other first."""
        from allauth.mfa.models import Authenticator

        from .access import SECOND_FACTOR_TYPES

        if authenticator.type not in SECOND_FACTOR_TYPES:
            return True
        user = authenticator.user
        must_have = user.is_staff or Membership.objects.filter(
            user=user, organisation__kind=Organisation.Kind.COUNTY).exists()
        if not must_have:
            return True
        return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exclude(
            pk=authenticator.pk).exists()
