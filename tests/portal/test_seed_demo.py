import io

import pytest
from django.core.management import call_command

from needs.models import Need
from offers.models import Offer
from portal.models import Membership, Municipality, Organisation, User

pytestmark = pytest.mark.django_db


def _counts():
    return (Organisation.objects.count(), User.objects.count(), Membership.objects.count(),
            Offer.objects.count(), Need.objects.count())


def test_seed_demo_covers_every_role_and_municipality_and_is_idempotent(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    region = set(Municipality.objects.filter(in_region=True).values_list("code", flat=True))
    with_business = set(Organisation.objects.filter(kind=Organisation.Kind.BUSINESS)
                        .values_list("municipality__code", flat=True))
    assert region <= with_business
    assert Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).count() >= 4
    assert Offer.objects.filter(status=Offer.Status.PUBLISHED).count() >= 40
    assert Need.objects.count() >= 60
    assert client.login(email="bedrift1@demo.no", password="demo-passord-2026")
    assert client.login(email="kurs1@demo.no", password="demo-passord-2026")
    assert client.login(email="radgiver@demo.no", password="demo-passord-2026")
