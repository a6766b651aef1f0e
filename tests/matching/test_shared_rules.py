"""Shared rules written once, as queryset methods, and used by every page that needs them."""

import datetime as dt

import pytest

from matching import selectors
from matching.engine.data import live_offers
from needs.selectors import published_offers_choices
from offers.models import Offer
from offers.selectors import catalogue_search
from portal.models import CompetenceArea
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def offers():
    return {
        "open": factories.OfferFactory(start_date=TODAY + 30 * DAY, end_date=TODAY + 32 * DAY,
                                       application_deadline=TODAY + 10 * DAY),
        "ended": factories.OfferFactory(start_date=TODAY - 10 * DAY, end_date=TODAY - DAY,
                                        application_deadline=None),
        "deadline_passed": factories.OfferFactory(start_date=TODAY + 5 * DAY,
                                                  end_date=TODAY + 6 * DAY,
                                                  application_deadline=TODAY - DAY),
        "started_no_end": factories.OfferFactory(start_date=TODAY - DAY, end_date=None,
                                                 application_deadline=None),
        "on_demand": factories.OfferFactory(start_date=TODAY - DAY, end_date=None,
                                            application_deadline=None, on_demand=True),
        "draft": factories.OfferFactory(status=Offer.Status.DRAFT),
    }


def test_open_for_signup_is_one_rule(offers):
    open_ids = set(Offer.objects.open_for_signup(TODAY).values_list("pk", flat=True))
    assert open_ids == {offers["open"].pk, offers["on_demand"].pk}
    # The engine and the catalogue use exactly this rule.
    assert set(live_offers(TODAY).values_list("pk", flat=True)) == open_ids
    assert set(catalogue_search({}, today=TODAY).values_list("pk", flat=True)) == open_ids


def test_a_cohort_page_never_suggests_a_course_that_has_ended(offers, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    cohort = factories.CohortFactory()
    fitting = set(selectors.cohort_fitting_offers(cohort).values_list("pk", flat=True))
    assert offers["open"].pk in fitting
    assert not fitting & {offers["ended"].pk, offers["deadline_passed"].pk, offers["draft"].pk}


def test_an_area_with_its_descendants():
    codes = set(CompetenceArea.objects.with_descendants("skog").values_list("code", flat=True))
    assert {"skog", "skog.motorsag"} <= codes and not any(c.startswith("bygg") for c in codes)
    assert set(CompetenceArea.objects.with_descendants("skog.motorsag")
               .values_list("code", flat=True)) == {"skog.motorsag"}


def test_the_outcome_picker_gets_its_offers_from_matching():
    offer = factories.OfferFactory(title="Motorsag for viderekomne")
    factories.OfferFactory(title="Utkast", status=Offer.Status.DRAFT)
    choices = published_offers_choices()
    assert [pk for pk, _label in choices] == [offer.pk]
    assert choices[0][1].startswith("Motorsag for viderekomne – ")
