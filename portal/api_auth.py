"""`Authorization: Bearer <token>` for the REST API, with personal tokens (`portal.tokens`).

The token's user acts within the token's organisation only (see `access.TOKEN_SCOPE_ATTR`),
so every access rule the pages use applies unchanged.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import access
from .tokens import api_token_resolve


class SecondFactorRequired(exceptions.PermissionDenied):
    """The token belongs to an adviser (or staff member) who has no second factor yet: the
    token is refused, not downgraded to a plain member's rights, so a script never silently
    reads less than its owner expects."""

    default_detail = _("Set up two-factor sign-in first: advisers and administrators need a "
                       "code from an authenticator app or a passkey, not just a password.")
    default_code = "second_factor_required"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # not ours: another scheme (or none) may apply
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Bearer <token>”."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = api_token_resolve(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid, has expired or has been revoked."))
        user = token.user
        missing = access.second_factor_missing(user)
        # The standing was read across all the user's organisations; it must be read again
        # within the token's one organisation below, so the cached answers go.
        for cached in ("_county_memberships", "_county_standing"):
            user.__dict__.pop(cached, None)
        if missing:
            raise SecondFactorRequired({"detail": SecondFactorRequired.default_detail,
                                        "code": SecondFactorRequired.default_code})
        setattr(user, access.TOKEN_SCOPE_ATTR, token.organisation_id)
        return user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer a missing login with 401 (not 403) and say how to log in.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A personal API token from the account page "
                               "(or `manage.py api_token create`)."}
