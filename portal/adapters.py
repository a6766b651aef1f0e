from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # A new user without an organisation is sent on to register or join one.
        if not request.user.memberships.exists():
            return reverse("portal:organisation_start")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # The greeting names the portal ("Hei fra Kompetanseportalen!"), not the server's
        # host and port, which is what allauth's site name is without the sites framework.
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        super().send_mail(template_prefix, email, context)
