"""Rolling intake: a course that runs over a period may take applications after it starts,
until its end date; the same rule in the service, the provider's form and the import."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from offers import importing, services
from offers.forms import OfferForm
from offers.importing import COLUMNS, EXAMPLE_ROW
from offers.models import Offer
from tests import factories
from tests.offers.test_import import csv_bytes

pytestmark = pytest.mark.django_db
START = dt.date.today() + dt.timedelta(days=30)
END = START + dt.timedelta(days=120)


def _data(**over):
    data = {"title": "Norsk for arbeidsinnvandrere, løpende opptak",
            "description": "Kurs gjennom hele våren.", "level": "course", "hours": 60,
            "format": "blended", "municipality": factories.municipality("4036"),
            "start_date": START, "end_date": END,
            "application_deadline": START + dt.timedelta(days=90), "language": "nb"}
    data.update(over)
    return data


def test_deadline_after_start_but_before_end_is_valid():
    offer = services.offer_create(provider=factories.ProviderFactory(), data=_data(),
                                  areas=[factories.area("sprak")])
    assert offer.application_deadline > offer.start_date


def test_deadline_after_the_end_is_refused_next_to_the_deadline():
    with pytest.raises(ValidationError) as exc:
        services.offer_create(provider=factories.ProviderFactory(),
                              data=_data(application_deadline=END + dt.timedelta(days=1)),
                              areas=[factories.area("sprak")])
    assert "sluttdatoen" in exc.value.message_dict["application_deadline"][0]


def test_without_an_end_date_a_deadline_after_the_start_is_still_refused():
    with pytest.raises(ValidationError) as exc:
        services.offer_create(provider=factories.ProviderFactory(),
                              data=_data(end_date=None), areas=[factories.area("sprak")])
    assert "application_deadline" in exc.value.message_dict


def test_the_providers_form_accepts_rolling_intake():
    data = {**{k: v for k, v in _data().items() if k != "municipality"},
            "municipality": factories.municipality("4036").pk,
            "areas": [factories.area("sprak").pk]}
    form = OfferForm(data=data)
    assert form.is_valid(), form.errors


def test_an_import_file_with_a_rolling_intake_row_is_imported():
    provider = factories.ProviderFactory()
    rows = [dict(EXAMPLE_ROW, external_id="R1", start_date=START.isoformat(),
                 end_date=END.isoformat(),
                 deadline=(START + dt.timedelta(days=60)).isoformat()),
            dict(EXAMPLE_ROW, external_id="R2")]
    preview = importing.preview_rows(importing.read_table(csv_bytes(rows, columns=COLUMNS),
                                                          "kurs.csv"),
                                     provider=provider, publish=True)
    assert not preview.bad_rows, [r.errors for r in preview.bad_rows]
    importing.offers_import(provider=provider, preview=preview, publish=True)
    assert Offer.objects.filter(provider=provider).count() == 2


def test_the_api_accepts_rolling_intake_and_refuses_a_deadline_after_the_end(
        provider_user, provider):
    from django.urls import reverse

    from tests.offers.test_api_write import ROW

    api = factories.token_client(provider_user, provider)
    rolling = {**ROW, "external_id": "ROLL-1", "start_date": "2030-03-01",
               "end_date": "2030-06-30", "application_deadline": "2030-05-01"}
    created = api.post(reverse("api-offers"), rolling, format="json")
    assert created.status_code == 201, created.json()
    late = {**rolling, "external_id": "ROLL-2", "application_deadline": "2030-07-15"}
    refused = api.post(reverse("api-offers"), late, format="json")
    assert refused.status_code == 400 and "application_deadline" in json.dumps(refused.json())
