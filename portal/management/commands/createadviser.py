"""`python manage.py createadviser EMAIL [--name NAME] [--password PW] [--municipality CODE ...]`

`--municipality CODE` (repeatable; current or retired municipality numbers) limits the adviser to
those municipalities — a municipality's own business adviser; `--all-municipalities` lifts the
limit. Without either, a new adviser sees every municipality and an existing one keeps theirs.

Advisers (kompetansemeglere) cannot sign up themselves: an operator creates them here. The
account gets a verified e-mail and an admin membership of the county organisation, which is
created on first use. Running it again for the same address changes nothing but the name.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from portal.models import Membership, Municipality, Organisation, User

# Vestfold og Telemark fylkeskommune; a valid MOD11 number (checked by the test suite).
COUNTY_ORGNR = "821227062"
COUNTY_NAME = "Vestfold og Telemark fylkeskommune"
COUNTY_SEAT = "4003"  # Skien


class Command(BaseCommand):
    help = "Create (or update) a county adviser account."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="")
        parser.add_argument("--password", default="")
        parser.add_argument("--county-orgnr", default=COUNTY_ORGNR)
        parser.add_argument("--municipality", action="append", default=[], metavar="CODE",
                            help="Limit the adviser to this municipality (repeatable).")
        parser.add_argument("--all-municipalities", action="store_true",
                            help="Remove any municipality limit.")

    def handle(self, *args, email: str, name: str, password: str, county_orgnr: str,
               municipality: list[str], all_municipalities: bool, **opts):
        email = User.objects.normalize_email(email.strip()).lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"Not a valid e-mail address: {email}") from exc
        if municipality and all_municipalities:
            raise CommandError("Use either --municipality or --all-municipalities, not both.")
        limit = [self._municipality(code) for code in municipality]
        with transaction.atomic():
            county = Organisation.objects.filter(kind=Organisation.Kind.COUNTY).filter(
                orgnr=county_orgnr
            ).first() or Organisation.objects.create(
                orgnr=county_orgnr, name=COUNTY_NAME, kind=Organisation.Kind.COUNTY,
                municipality=Municipality.objects.filter(code=COUNTY_SEAT).first(),
                industry_code="84", employees=None,
            )
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User.objects.create_user(email=email, password=password or None,
                                                full_name=name)
            elif name:
                user.full_name = name
                user.save(update_fields=["full_name"])
            if password and not created:
                user.set_password(password)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            membership, _ = Membership.objects.update_or_create(
                user=user, organisation=county, defaults={"role": Membership.Role.ADMIN}
            )
            if limit or all_municipalities:
                membership.municipalities.set(limit)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} adviser {email} in {county.name}."))
        names = sorted(m.name for m in membership.municipalities.all())
        self.stdout.write(f"Sees: {', '.join(names) if names else 'every municipality'}.")
        self.stdout.write("At the first sign-in the adviser sets up two-factor sign-in (an "
                          "authenticator app or a passkey) before any adviser page opens.")
        if created and not password:
            self.stdout.write("No password set: the adviser uses 'Forgot password' on the "
                              "login page to choose one.")

    def _municipality(self, code: str) -> Municipality:
        """A municipality by its number; a retired number (alias) finds today's."""
        code = code.strip()
        found = (Municipality.objects.filter(code=code).first()
                 or Municipality.objects.filter(aliases__code=code).first())
        if found is None:
            raise CommandError(f"Unknown municipality number: {code}")
        return found
