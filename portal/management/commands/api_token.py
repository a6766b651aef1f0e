"""`python manage.py api_token create EMAIL [--name N] [--expires-days D] [--organisation ORGNR]`

Prints a new personal API token (only its digest is stored). The token acts for the user within
one organisation: the only one they belong to, or the one named with --organisation.
`api_token list EMAIL` shows the user's tokens; `api_token revoke EMAIL PREFIX` revokes one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal import tokens
from portal.models import Organisation, User


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for a user.")
        create.add_argument("email")
        create.add_argument("--name", default="Script")
        create.add_argument("--expires-days", type=int, default=None)
        create.add_argument("--organisation", default="", help="organisation number")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="Revoke a user's token by its prefix.")
        revoke.add_argument("email")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, email: str, **opts):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        getattr(self, f"_{action}")(user, **opts)

    def _create(self, user: User, *, name: str, expires_days: int | None, organisation: str,
                **opts) -> None:
        orgs = Organisation.objects.filter(memberships__user=user).order_by("name")
        if organisation:
            orgs = orgs.filter(orgnr=organisation.replace(" ", ""))
        if not orgs:
            raise CommandError(f"{user.email} is not a member of "
                               f"{organisation or 'any organisation'}.")
        if len(orgs) > 1:
            choices = ", ".join(f"{o.orgnr} ({o.name})" for o in orgs)
            raise CommandError(f"{user.email} belongs to several organisations; choose one "
                               f"with --organisation: {choices}")
        try:
            issued = tokens.api_token_create(user=user, organisation=orgs[0], name=name,
                                             expires_days=expires_days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        # The token alone on stdout, so `TOKEN=$(manage.py api_token create …)` works.
        self.stdout.write(issued.secret)
        self.stderr.write(f"Token “{issued.token.name}” for {user.email} acting for "
                          f"{orgs[0].name}; it is not shown again.")

    def _list(self, user: User, **opts) -> None:
        for token in tokens.tokens_for_user(user=user):
            state = "revoked" if token.revoked_at else ("active" if token.is_usable else "expired")
            self.stdout.write(f"{token.prefix}…  {token.name}  {token.organisation.name}  "
                              f"{state}  last used {token.last_used_at or 'never'}")

    def _revoke(self, user: User, *, prefix: str, **opts) -> None:
        token = tokens.tokens_for_user(user=user).filter(prefix=prefix.rstrip("…")).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix} for {user.email}.")
        tokens.api_token_revoke(token=token)
        self.stdout.write(f"Revoked {token.name}.")
