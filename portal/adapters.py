from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # A new user without an organisation is sent on to register or join one.
        if not request.user.memberships.exists():
            return reverse("portal:organisation_start")
        return super().get_login_redirect_url(request)
