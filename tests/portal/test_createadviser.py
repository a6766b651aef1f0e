import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from stdnum.no import orgnr

from portal.access import is_adviser, second_factor_missing
from portal.management.commands.createadviser import COUNTY_ORGNR
from portal.models import Membership, Organisation, User
from tests.factories import with_totp

pytestmark = pytest.mark.django_db


def test_county_orgnr_is_valid():
    assert orgnr.is_valid(COUNTY_ORGNR)


def test_createadviser_creates_a_verified_adviser_and_is_idempotent():
    call_command("createadviser", "Megler@Fylke.no", "--name", "Mia Megler",
                 "--password", "Sikker-passord-77", stdout=io.StringIO())
    call_command("createadviser", "megler@fylke.no", stdout=io.StringIO())

    user = User.objects.get(email="megler@fylke.no")
    assert user.full_name == "Mia Megler"
    assert user.check_password("Sikker-passord-77")
    assert EmailAddress.objects.get(user=user).verified
    assert Organisation.objects.filter(kind=Organisation.Kind.COUNTY).count() == 1
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN
    # Adviser rights start once the adviser has set up a second factor at first sign-in.
    assert second_factor_missing(user) and not is_adviser(user)
    with_totp(user)
    assert is_adviser(user)  # the same user object sees its new second factor at once


def test_createadviser_without_password_says_how_to_set_one():
    out = io.StringIO()
    call_command("createadviser", "ny@fylke.no", stdout=out)
    assert "Forgot password" in out.getvalue()
    assert not User.objects.get(email="ny@fylke.no").has_usable_password()


def test_createadviser_refuses_a_bad_address():
    with pytest.raises(CommandError):
        call_command("createadviser", "not-an-email", stdout=io.StringIO())
    assert not User.objects.exists()
