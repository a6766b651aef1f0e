import datetime as dt

import pytest
from django.urls import reverse

from offers.models import Offer
from offers.search import offer_search_refresh
from offers.selectors import catalogue_search
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def offer(title, areas=("industri.sveising",), description="", **kw):
    o = factories.OfferFactory(title=title, description=description, areas=list(areas), **kw)
    offer_search_refresh(offer_ids=[o.pk])  # the factory bypasses the services
    return o


def titles(params):
    return [o.title for o in catalogue_search(params)]


@pytest.mark.services
def test_postgres_inflection_finds_compound_and_better_match_ranks_first(postgres_only):
    weak = offer("Verkstedkurs", areas=["hms"], description="Litt om sveising i verkstedet.")
    strong = offer("Sveisekurs MIG/MAG", description="Grunnkurs i sveising for industrien.")
    offer("Motorsagkurs", areas=["skog.motorsag"])
    found = titles({"q": "sveising"})
    assert found[0] == strong.title
    assert set(found) == {strong.title, weak.title}
    assert titles({"q": "sveisekursene"}) == [strong.title]
    assert titles({"q": "motorsag"}) == ["Motorsagkurs"]
    # Operators in the words are dropped, never passed to to_tsquery.
    assert set(titles({"q": "sveis & | ! :* ('"})) == {strong.title, weak.title}


@pytest.mark.services
def test_postgres_finds_offer_by_area_synonym(postgres_only):
    offer("Grunnkurs for skogsarbeidere", areas=["skog.motorsag"])
    assert titles({"q": "motorsagsertifikat"}) == ["Grunnkurs for skogsarbeidere"]


def test_words_search_falls_back_to_icontains_on_sqlite():
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the SQLite fallback")
    offer("Sveisekurs MIG/MAG")
    offer("Motorsagkurs", areas=["skog.motorsag"])
    assert titles({"q": "sveising"}) == ["Sveisekurs MIG/MAG"]
    assert titles({"q": "motorsag"}) == ["Motorsagkurs"]


def test_filters_combined():
    match = offer("A", level="course", format="local", price_nok=3000)
    offer("B", level="higher_education", credits=10, format="local", price_nok=3000)
    offer("C", level="course", format="campus", price_nok=3000)
    offer("D", level="course", format="local", price_nok=90000)
    offer("E", level="course", format="local", price_nok=3000, areas=["skog.motorsag"])
    params = {"level": "course", "format": "local", "max_price": 5000, "area": "industri"}
    assert titles(params) == [match.title]


def test_area_top_code_includes_sub_areas_and_on_demand_and_start_month():
    start = dt.date(TODAY.year + 1, 3, 10)
    a = offer("Sub", areas=["industri.sveising"], start_date=start,
              end_date=start + dt.timedelta(days=2), application_deadline=None, on_demand=True)
    offer("Other", areas=["skog.motorsag"])
    assert titles({"area": "industri"}) == [a.title]
    assert titles({"on_demand": True}) == [a.title]
    assert titles({"start_month": f"{start.year}-03"}) == [a.title]


def test_past_archived_and_draft_offers_are_hidden_by_default():
    offer("Now")
    offer("Past", start_date=TODAY - dt.timedelta(days=20), end_date=TODAY - dt.timedelta(days=10),
          application_deadline=None)
    offer("Started, no end", start_date=TODAY - dt.timedelta(days=3), end_date=None,
          application_deadline=None)
    offer("Archived", status=Offer.Status.ARCHIVED)
    offer("Draft", status=Offer.Status.DRAFT)
    assert titles({}) == ["Now"]
    assert set(titles({"show_past": True})) == {"Now", "Past", "Started, no end"}


def test_distance_filter_and_online_offers():
    offer("In Seljord", municipality=factories.municipality("4022"))
    offer("In Kviteseid", municipality=factories.municipality("4028"))  # ~17 km
    offer("In Porsgrunn", municipality=factories.municipality("4001"))  # ~60 km
    offer("Online", format="online", municipality=None)
    near = {"municipality": "4022", "distance_km": 30, "include_online": False}
    assert set(titles(near)) == {"In Seljord", "In Kviteseid"}
    assert set(titles(near | {"include_online": True})) == {"In Seljord", "In Kviteseid",
                                                            "Online"}
    assert set(titles({"municipality": "4022", "include_online": False})) == {"In Seljord"}
    assert titles({"online_only": True}) == ["Online"]


def test_sorting_by_price_and_title():
    offer("B", price_nok=200)
    offer("A", price_nok=300)
    offer("C", price_nok=100)
    assert titles({"sort": "price"}) == ["C", "B", "A"]
    assert titles({"sort": "title"}) == ["A", "B", "C"]


def test_catalogue_page_keeps_filters_in_url_and_announces_count(client):
    for n in range(30):
        offer(f"Kurs {n:02d}", level="course")
    response = client.get(reverse("offers:catalogue"), {"level": "course", "sort": "title"})
    assert response.status_code == 200
    assert b'aria-live="polite"' in response.content
    assert b'data-count="30"' in response.content
    assert b"level=course&amp;sort=title&amp;page=2" in response.content
    page2 = client.get(reverse("offers:catalogue"), {"level": "course", "sort": "title",
                                                     "page": 2})
    assert len(page2.context["page"].object_list) == 5


def test_bad_filter_values_do_not_break_the_page(client):
    offer("Kurs")
    response = client.get(reverse("offers:catalogue"), {"max_price": "abc", "start_month": "x",
                                                        "municipality": "0000", "page": "zz"})
    assert response.status_code == 200


def _many(n):
    provider = factories.ProviderFactory()
    areas = [factories.area("industri.sveising"), factories.area("hms")]
    start = TODAY + dt.timedelta(days=40)
    offers = Offer.objects.bulk_create(
        Offer(provider=provider, title=f"Kurs {i}", level="course", hours=10, format="local",
              municipality=factories.municipality("4022"), start_date=start,
              status=Offer.Status.PUBLISHED)
        for i in range(n)
    )
    through = Offer.areas.through
    through.objects.bulk_create(
        through(offer_id=o.pk, competencearea_id=a.pk) for o in offers for a in areas
    )


def test_catalogue_query_count_is_constant(client, django_assert_max_num_queries):
    _many(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("offers:catalogue"), {"area": "industri"}).status_code == 200
    _many(5000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("offers:catalogue"), {"area": "industri"})
    assert response.context["page"].paginator.count == 5003


def test_page_past_the_end_shows_the_last_page_and_empty_search_shows_none(client):
    for n in range(27):
        offer(f"Kurs {n:02d}")
    response = client.get(reverse("offers:catalogue"), {"page": 99})
    page = response.context["page"]
    assert page.number == 2 and len(page.object_list) == 2 and page.paginator.count == 27
    response = client.get(reverse("offers:catalogue"), {"level": "higher_education"})
    assert response.context["page"].paginator.count == 0
