"""`python manage.py demo_totp`: the current sign-in code of the demo adviser's authenticator.

The demo adviser's TOTP secret is public (it is printed by `seed_demo` and written here), so
this reads nothing from the database: it is what an authenticator app would show.
"""

from django.core.management.base import BaseCommand

from portal.management.commands.seed_demo import ADVISER_EMAIL, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo adviser's current two-factor code (from the public demo secret)."

    def handle(self, *args, **options):
        import time

        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // 30))
        self.stdout.write(f"{ADVISER_EMAIL}: {code} (valid for {30 - now % 30} more seconds)")
