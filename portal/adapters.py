from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse

from .models import Membership, Organisation


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # A new user without an organisation is sent on to register or join one.
        if not request.user.memberships.exists():
            return reverse("portal:organisation_start")
        return super().get_login_redirect_url(request)


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
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # The greeting names the portal ("Hei fra Kompetanseportalen!"), not the server's
        # host and port, which is what allauth's site name is without the sites framework.
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        super().send_mail(template_prefix, email, context)
