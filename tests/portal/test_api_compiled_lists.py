"""An adviser's API needs and matches come from SQL compiled once per process and scope,
parameters and shape of page (`portal.compiled_queries.PagedRows`): byte for byte the answers
the lists built for every request give — rows, cursors, links, errors — for an adviser with
and without municipality limits, and what changes shows at the next request."""

from __future__ import annotations

import base64
import datetime as dt
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matching.api import MatchList
from matching.models import Match
from needs.api import NeedList
from needs.models import Need
from portal import compiled_queries
from portal.models import CompetenceArea, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def _cursor(**tokens) -> str:
    """A cursor as DRF writes them: o(ffset), r(everse), p(osition)."""
    return quote(base64.b64encode(urlencode(tokens).encode()).decode())


NEEDS = ["", "?priority=high", "?page_size=2", "?page_size=3&status=submitted",
         "?municipality=4036", "?area=skog", "?area=skog.motorsag&page_size=1", "?q=kurs",
         "?priority=xx", "?page_size=0", "?municipality=9999", "?round=-1",
         "?cursor=garbage", f"?cursor={_cursor(o=2)}", f"?cursor={_cursor(o=1, p='2027')}",
         f"?cursor={_cursor(p='2099-01-01 00:00:00+00:00')}",
         f"?cursor={_cursor(r=1, p='2000-01-01 00:00:00+00:00')}",
         f"?cursor={_cursor(p='not a time')}", "?page_size=2&response_format=csv"]
MATCHES = ["", "?min_score=60", "?min_score=60.0", "?page_size=2", "?status=proposed",
           "?area=skog&page_size=2", "?municipality=4022", "?min_score=abc",
           "?min_score=101", f"?cursor={_cursor(p='70.0')}", f"?cursor={_cursor(r=1, p='50')}",
           f"?cursor={_cursor(o=1, p='82.0')}", f"?cursor={_cursor(p='abc')}"]


@pytest.fixture
def lists():
    """Needs in three municipalities, some created at the same moment (the cursor then counts
    an offset), and matches with tied scores."""
    places = ["4022", "4036", "4020"]
    needs = []
    for i in range(9):
        business = factories.BusinessFactory(municipality=factories.municipality(places[i % 3]))
        needs.append(factories.NeedFactory(
            organisation=business, priority=[Need.Priority.HIGH, Need.Priority.LOW][i % 2],
            title=["Motorsagkurs", "Truckkurs"][i % 2], area=factories.area(
                ["skog.motorsag", "bygg.tomrer", "skog.skogsmaskin"][i % 3]),
            budget_per_participant=[6000, None, "7500.50"][i % 3]))
    moment = timezone.now() - dt.timedelta(days=1)
    Need.objects.filter(pk__in=[n.pk for n in needs[2:5]]).update(created_at=moment)
    statuses = [Match.Status.SUGGESTED, Match.Status.PROPOSED, Match.Status.APPROVED]
    for i, need in enumerate(needs):
        for j in range(2):
            factories.MatchFactory(need=need, score=[82.0, 70.0, 55.5, 82.0][(i + j) % 4],
                                   status=statuses[(i + j) % 3], reasons=[
                                       {"code": "words", "words": ["motorsag"]},
                                       {"code": "same_level"}][: (i + j) % 3])
    return needs


def _answers(api: APIClient, base: str, queries: list[str], language: str = "nb") -> list:
    """Every answer for the queries, and three pages on from each along `next`, then back
    along `previous`: status, type, links and body."""
    seen = []
    for query in queries:
        url = base + query
        for _step in range(4):
            response = api.get(url, HTTP_ACCEPT_LANGUAGE=language)
            seen.append((url, response.status_code, response.get("Content-Type"),
                         response.get("Link"), response.content))
            if response.status_code != 200 or not response["Content-Type"].startswith(
                    "application/json"):
                break
            data = response.json()
            url = data["next"] if _step < 2 and data["next"] else data["previous"]
            if not url:
                break
    return seen


def _client(user) -> APIClient:
    api = APIClient()
    api.force_login(user)  # with a session, as in the benchmark: the user read per request
    return api


@pytest.mark.parametrize("scope", [(), ("4022", "4036")], ids=["unlimited", "limited"])
def test_an_advisers_pages_are_the_built_ones_byte_for_byte(postgres_only, lists, monkeypatch,
                                                             scope):
    user = factories.scoped_adviser(*scope) if scope else factories.adviser()
    api = _client(user)
    compiled = (_answers(api, reverse("api-needs"), NEEDS)
                + _answers(api, reverse("api-matches"), MATCHES)
                + _answers(api, reverse("api-matches"), ["", "?page_size=3"], "en"))
    assert any(key[0][0] == "api-list" for key in compiled_queries._by_id)  # with a position
    assert any(key[0][0] == "api-list" for key in compiled_queries._compiled)
    monkeypatch.setattr(NeedList, "compiled_for_advisers", False)
    monkeypatch.setattr(MatchList, "compiled_for_advisers", False)
    built = (_answers(api, reverse("api-needs"), NEEDS)
             + _answers(api, reverse("api-matches"), MATCHES)
             + _answers(api, reverse("api-matches"), ["", "?page_size=3"], "en"))
    assert [answer[:2] for answer in compiled] == [answer[:2] for answer in built]
    assert compiled == built
    statuses = {status for _url, status, *_rest in compiled}
    assert statuses == {200, 400, 404}
    if scope:  # the limits hold: no need of a business in 4020
        codes = {row["municipality"] for row in api.get(reverse("api-needs")).json()["results"]}
        assert codes == {"4022", "4036"}


def test_an_advisers_page_is_one_query_however_many_rows(monkeypatch):
    api = _client(factories.adviser())
    urls = [reverse("api-needs") + "?priority=high", reverse("api-matches") + "?min_score=60",
            reverse("api-needs") + f"?cursor={_cursor(p='2099-01-01 00:00:00+00:00')}",
            reverse("api-matches") + f"?cursor={_cursor(p='99.0')}&page_size=5"]

    def counts(rows: int) -> list[int]:
        for _ in range(rows):
            factories.MatchFactory(score=80.0, need=factories.NeedFactory(
                priority=Need.Priority.HIGH, organisation=factories.BusinessFactory()))
        found = []
        for url in urls:
            assert api.get(url).status_code == 200  # compiled; per-user look-ups warm
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url).status_code == 200
            # The page's one query (and the session's, in the tests' database sessions).
            found.append(len([q for q in queries if "django_session" not in q["sql"]]))
        return found

    assert counts(2) == counts(10) == [1, 1, 1, 1]


def test_new_rows_a_changed_scope_and_new_sub_areas_show_at_the_next_request(lists):
    """The SQL is kept, never the rows; the scope is part of its key, and an area's
    sub-areas (read as ids from the kept reference data) are keyed by the data's version."""
    user = factories.scoped_adviser("4022")
    api = _client(user)

    def needs() -> set[str]:
        return {row["municipality"] for row in api.get(reverse("api-needs")).json()["results"]}

    assert needs() == {"4022"}
    Membership.objects.get(user=user).municipalities.add(factories.municipality("4036"))
    assert needs() == {"4022", "4036"}
    fresh = factories.NeedFactory(organisation=factories.BusinessFactory(
        municipality=factories.municipality("4036")))
    assert api.get(reverse("api-needs")).json()["results"][0]["id"] == fresh.pk

    url = reverse("api-matches") + "?area=skog"
    before = {row["id"] for row in api.get(url).json()["results"]}
    sub_area = CompetenceArea.objects.create(
        code="skog.ny", parent=CompetenceArea.objects.get(code="skog"), label_nb="Ny",
        label_nn="Ny", label_en="New")
    match = factories.MatchFactory(score=99.0, need=factories.NeedFactory(
        area=sub_area, organisation=factories.BusinessFactory()))
    assert {row["id"] for row in api.get(url).json()["results"]} == before | {match.pk}


def test_a_members_list_is_built_for_each_request(business_user, business):
    """A business member's needs depend on their organisations: not compiled."""
    own = factories.NeedFactory(organisation=business)
    factories.NeedFactory()
    api = _client(business_user)
    compiled_queries._compiled.clear()
    compiled_queries._by_id.clear()
    assert [row["id"] for row in api.get(reverse("api-needs")).json()["results"]] == [own.pk]
    assert not [key for key in [*compiled_queries._compiled, *compiled_queries._by_id]
                if key[0][0] == "api-list"]


@pytest.mark.parametrize("position", ["abc", "2026-13-45"])
@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "built"])
def test_a_cursor_with_a_made_up_position_is_a_404_not_a_500(lists, monkeypatch, position,
                                                              compiled):
    monkeypatch.setattr(NeedList, "compiled_for_advisers", compiled)
    monkeypatch.setattr(MatchList, "compiled_for_advisers", compiled)
    api = _client(factories.adviser())
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    for name in ("api-needs", "api-matches"):
        response = api.get(reverse(name), {"cursor": cursor})
        assert response.status_code == 404, (name, response.content)
        assert set(response.json()) == {"detail"}
