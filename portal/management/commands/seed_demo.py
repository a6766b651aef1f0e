"""Demo data for all three roles: `python manage.py seed_demo`.

Idempotent and deterministic: organisations key on their (valid, made-up) organisation numbers,
users on their e-mail, so running it twice changes nothing. The apps' own demo commands
(`seed_demo_offers`, `seed_demo_needs`) and a synchronous `rematch` run afterwards when they exist.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from stdnum.no import orgnr as orgnr_check

from needs.models import SurveyRound
from portal.models import Membership, Municipality, Organisation, User

PASSWORD = "demo-passord-2026"
ADVISER_EMAIL = "radgiver@demo.no"
# Advisers need a second factor; the demo adviser's authenticator app uses this public secret
# (add it to any TOTP app, or run `manage.py demo_totp` for the current code). Demo only.
DEMO_TOTP_SECRET = "KOMPETANSEPORTALENDEMORADGIVER22"

# (stem, name, municipality, industry SN2007, employees, address, postal code, place)
BUSINESSES = [
    ("92110010", "Rauland Hytteutleie AS", "4036", "55.202", 8, "Raulandsvegen 12", "3864", "Rauland"),
    ("92110020", "Vinje Byggservice AS", "4036", "41.200", 14, "Vinjevegen 3", "3890", "Vinje"),
    ("92110030", "Tokke Kraft Drift AS", "4034", "35.111", 22, "Dalen sentrum 5", "3880", "Dalen"),
    ("92110040", "Dalen Hotell og Servering AS", "4034", "55.101", 31, "Hotellvegen 1", "3880", "Dalen"),
    ("92110050", "Fyresdal Skog og Tre AS", "4032", "02.200", 6, "Moland 4", "3870", "Fyresdal"),
    ("92110060", "Nissedal Gardsmat SA", "4030", "01.410", 4, "Treungen 22", "3855", "Treungen"),
    ("92110070", "Kviteseid Omsorgssenter AS", "4028", "87.100", 45, "Kviteseidvegen 9", "3850", "Kviteseid"),
    ("92110080", "Seljord Elektro AS", "4022", "43.210", 11, "Brøløsvegen 7", "3840", "Seljord"),
    ("92110090", "Seljord Tømmer og Sag AS", "4022", "16.100", 17, "Flatdalsvegen 30", "3841", "Flatdal"),
    ("92110100", "Tinn Energi og Vedlikehold AS", "4026", "35.130", 19, "Sam Eydes gate 40", "3660", "Rjukan"),
    ("92110110", "Rjukan Turisthytter AS", "4026", "55.300", 7, "Gaustavegen 2", "3660", "Rjukan"),
    ("92110120", "Hjartdal Landbruk og Maskin AS", "4024", "01.450", 5, "Sauland 14", "3692", "Sauland"),
    ("92110130", "Hjartdal Helse og Hjemmetjeneste AS", "4024", "88.101", 26, "Hjartdalsvegen 3", "3690", "Hjartdal"),
    ("92110140", "Vinje Fjellmat AS", "4036", "56.101", 9, "Edland 1", "3895", "Edland"),
]

# (stem, name, municipality, industry, employees)
PROVIDERS = [
    ("92120010", "Universitetet i Sørøst-Norge, campus Bø", "4020", "85.421", 600),
    ("92120020", "Universitetet i Sørøst-Norge, campus Rauland", "4036", "85.421", 40),
    ("92120030", "Fagskolen Vestfold og Telemark, Skien", "4003", "85.421", 120),
    ("92120040", "Notodden læringssenter", "4005", "85.599", 25),
    ("92120050", "Seljord Kurs og Kompetanse AS", "4022", "85.599", 6),
    ("92120060", "Telemark Sikkerhetskurs AS", "4001", "85.599", 12),
]

COUNTY = ("92100000", "Vestfold og Telemark fylkeskommune", "4003")


def valid_orgnr(stem: str) -> str:
    """The stem plus the MOD11 check digit; stems whose check digit would be 10 are skipped."""
    base = int(stem)
    while True:
        for digit in "0123456789":
            if orgnr_check.is_valid(f"{base:08d}{digit}"):
                return f"{base:08d}{digit}"
        base += 1


class Command(BaseCommand):
    help = "Create demo organisations, users, offers and needs, then print the logins."

    def handle(self, *args, **options):
        municipalities = {m.code: m for m in Municipality.objects.all()}
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            county = self._organisation(COUNTY[0], COUNTY[1], Organisation.Kind.COUNTY,
                                        municipalities[COUNTY[2]], "84", 900)
            adviser = self._user(ADVISER_EMAIL, "Kari Rådgiver", county)
            self._demo_totp(adviser)
            logins.append(("adviser", ADVISER_EMAIL, county.name))
            for n, (stem, name, code, industry, employees, address, postal, place) in enumerate(
                BUSINESSES, start=1
            ):
                org = self._organisation(stem, name, Organisation.Kind.BUSINESS,
                                         municipalities[code], industry, employees,
                                         address=address, postal_code=postal, postal_place=place)
                email = f"bedrift{n}@demo.no"
                self._user(email, f"Daglig leder {n}", org)
                logins.append(("business", email, org.name))
            for n, (stem, name, code, industry, employees) in enumerate(PROVIDERS, start=1):
                org = self._organisation(stem, name, Organisation.Kind.PROVIDER,
                                         municipalities[code], industry, employees)
                email = f"kurs{n}@demo.no"
                self._user(email, f"Kursansvarlig {n}", org)
                logins.append(("provider", email, org.name))
            SurveyRound.objects.get_or_create(
                name="Kompetansekartlegging 2027",
                defaults={"year": 2027, "opens_on": dt.date(2026, 11, 1),
                          "closes_on": dt.date(2027, 2, 28),
                          "intro": "Fortell oss hvilken kompetanse bedriften trenger i 2027."},
            )

        available = get_commands()
        for command in ("seed_demo_offers", "seed_demo_needs", "seed_demo_history", "rematch",
                        "seed_demo_meetings"):
            if command in available:
                call_command(command, stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {PASSWORD})")
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/")
        for role, email, org_name in logins:
            self.stdout.write(f"  {role:<9} {email:<22} {org_name}")
        self.stdout.write(
            f"The adviser also needs a two-factor code: add the secret {DEMO_TOTP_SECRET} to an "
            "authenticator app, or run `.venv/bin/python manage.py demo_totp` for the current code.")

    def _organisation(self, stem, name, kind, municipality, industry, employees, **extra):
        org, _ = Organisation.objects.update_or_create(
            orgnr=valid_orgnr(stem),
            defaults={"name": name, "kind": kind, "municipality": municipality,
                      "industry_code": industry, "industry_standard": "SN2007",
                      "employees": employees, **extra},
        )
        return org

    def _demo_totp(self, user: User) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)

    def _user(self, email: str, full_name: str, organisation: Organisation) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
        )
        if not organisation.contact_email:
            organisation.contact_name = full_name
            organisation.contact_email = email
            organisation.save(update_fields=["contact_name", "contact_email"])
        return user
