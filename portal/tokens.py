"""Personal API tokens: create (shown once), revoke, and resolve a presented token.

A token is `kp_` + 43 URL-safe characters (256 random bits). Only its SHA-256 digest is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import second_factor_missing
from .models import ApiToken, Membership, Organisation, User

TOKEN_PREFIX = "kp_"
# last_used_at is written at most this often per token, so a busy script does not turn every
# read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the only time the plain token exists outside the caller's hands


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, organisation: Organisation, name: str, expires_days: int | None = None,
) -> IssuedToken:
    """A new token for `user` acting within `organisation` (they must be a member)."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. the system that will use it.")
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        errors["organisation"] = _("You are not a member of this organisation.")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        errors["expires_days"] = _("Choose between 1 and %(max)s days, or no expiry.") % {
            "max": MAX_EXPIRY_DAYS}
    if second_factor_missing(user):
        # Such a token would be refused anyway (portal.api_auth): say so now.
        errors["__all__"] = _("Set up two-factor sign-in first: advisers and administrators "
                              "need a second factor before they can create an API token.")
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, organisation=organisation, name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6], digest=token_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=expires_days) if expires_days else None,
    )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Idempotent: revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def api_token_resolve(secret: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The usable token for a presented secret (with its user and organisation), or None.
    Records when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    now = now or timezone.now()
    token = (ApiToken.objects.usable(now).select_related("user", "organisation")
             .filter(digest=token_digest(secret), user__is_active=True).first())
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_for_user(*, user: User):
    return ApiToken.objects.filter(user=user).select_related("organisation")
