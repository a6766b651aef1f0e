"""API v1 conventions: cursor pagination on the large lists, CSV by `Accept: text/csv`, ETags
on the public catalogue, JSON error bodies with the right status codes."""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.engine import data
from offers import services as offer_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def test_needs_are_paged_by_cursor_newest_first_without_gaps_or_repeats(adviser_user):
    api = APIClient()
    api.force_authenticate(adviser_user)
    created = [factories.NeedFactory().pk for _ in range(7)]
    seen, url = [], reverse("api-needs") + "?page_size=3"
    while url:
        body = api.get(url).json()
        assert "count" not in body and len(body["results"]) <= 3
        seen += [n["id"] for n in body["results"]]
        url = body["next"]
        if len(seen) == 3:
            factories.NeedFactory()  # a new need while paging does not shift the pages
    assert seen == sorted(created, reverse=True)


def test_bad_cursor_is_a_404_with_json(adviser_user):
    api = APIClient()
    api.force_authenticate(adviser_user)
    response = api.get(reverse("api-needs"), {"cursor": "garbage"})
    assert response.status_code == 404 and "detail" in response.json()


def test_lists_come_as_csv_when_asked():
    factories.OfferFactory(title="Motorsag, grunnkurs", areas=["skog.motorsag", "hms"])
    factories.OfferFactory(title="=HYPERLINK(\"x\")")
    response = APIClient().get(reverse("api-offers"), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {r["title"]: r for r in rows}
    assert by_title["Motorsag, grunnkurs"]["areas"] in ("skog.motorsag;hms", "hms;skog.motorsag")
    assert "'=HYPERLINK(\"x\")" in by_title  # a formula is defused for spreadsheets
    municipalities = APIClient().get(reverse("api-municipalities"), HTTP_ACCEPT="text/csv")
    assert municipalities.content.decode().startswith("code,name,")


def test_csv_error_names_the_field():
    response = APIClient().get(reverse("api-offers"), {"level": "doctorate"},
                               HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response.content.decode().splitlines()[0] == "field,message"
    assert response.content.decode().splitlines()[1].startswith("level,")


def test_catalogue_answers_304_until_an_offer_changes():
    offer = factories.OfferFactory()
    api = APIClient()
    first = api.get(reverse("api-offers"))
    etag = first["ETag"]
    assert etag and api.get(reverse("api-offers"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    detail = api.get(reverse("api-offer", args=[offer.pk]))
    assert api.get(reverse("api-offer", args=[offer.pk]),
                   HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    # Another query is another representation.
    assert api.get(reverse("api-offers"), {"level": "course"})["ETag"] != etag
    offer_services.offer_update(offer=offer, data={"title": "Nytt navn"})
    again = api.get(reverse("api-offers"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again.json()["results"][0]["title"] == "Nytt navn"
    offer_services.offer_archive(offer=offer)
    assert api.get(reverse("api-offers"), HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 200


def test_unknown_route_and_method_errors_are_json():
    api = APIClient()
    assert api.delete(reverse("api-offers")).status_code in (401, 405)
    response = api.get(reverse("api-offer", args=[999999]))
    assert response.status_code == 404 and "detail" in response.json()


def test_malformed_json_is_a_400(provider_user):
    api = APIClient()
    api.force_authenticate(provider_user)
    response = api.post(reverse("api-offers"), "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_schema_validates_with_no_warnings_and_describes_the_webhooks(tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert set(schema["webhooks"]) == {
        "need.submitted", "need.withdrawn", "match.proposed", "match.accepted",
        "match.declined", "offer.published", "offer.archived", "offer.unpublished",
        "cohort.shared", "cohort.answered"}
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    # Request bodies are their own components: read-only fields are not offered as input.
    assert "OfferWriteRequest" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method.upper()} {path} has no description"


def test_every_operation_documents_its_error_answers_with_a_body_schema():
    import yaml

    schema = yaml.safe_load(APIClient().get(reverse("api-schema")).content)
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert "additionalProperties" in components["ValidationError"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            assert "429" in codes, where  # every operation is throttled
            if path != "/api/v1/barometer/":  # the open data takes no token at all
                assert "401" in codes, where
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= codes, where
            if "{id}" in path:
                assert "404" in codes, where
            if method != "get":
                assert "403" in codes, where
            for code, answer in operation["responses"].items():
                if code.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.rsplit("/", 1)[1] in components, where
    transitions = [p for p in schema["paths"] if p.endswith(("/publish/", "/archive/",
                                                             "/submit/", "/withdraw/",
                                                             "/approve/", "/accept/"))]
    assert transitions and all("409" in schema["paths"][p]["post"]["responses"]
                               for p in transitions)
    assert "413" in schema["paths"]["/api/v1/offers/bulk/"]["put"]["responses"]
    # Reads of the public catalogue need no token.
    assert {} in schema["paths"]["/api/v1/offers/"]["get"]["security"]


def test_a_url_no_api_route_matches_is_a_json_404(adviser_user):
    api = APIClient()
    api.force_authenticate(adviser_user)
    for url in ("/api/v1/needs/not-a-number/", "/api/v1/nothing-here/"):
        response = api.get(url)
        assert response.status_code == 404 and "detail" in response.json()
    assert APIClient().get("/finnes-ikke/")["Content-Type"].startswith("text/html")


def test_an_unpublished_offer_is_a_404_for_anyone_but_its_provider(business_user,
                                                                   provider_user, provider):
    draft = factories.OfferFactory(provider=provider, status="draft")
    api = APIClient()
    api.force_authenticate(business_user)
    assert api.get(reverse("api-offer", args=[draft.pk])).status_code == 404
    api.force_authenticate(provider_user)
    assert api.get(reverse("api-offer", args=[draft.pk])).status_code == 200


def test_every_operation_has_a_request_and_a_response_example():
    import yaml

    schema = yaml.safe_load(APIClient().get(reverse("api-schema")).content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            if "requestBody" in operation:
                body = operation["requestBody"]["content"]["application/json"]
                assert body.get("examples"), f"{where}: no request example"
            success = next(a for c, a in operation["responses"].items() if c.startswith("2"))
            assert success["content"]["application/json"].get("examples"), (
                f"{where}: no response example")


def test_an_accept_header_naming_no_format_is_a_406_as_documented():
    import yaml

    response = APIClient().get(reverse("api-offers"), HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    schema = yaml.safe_load(APIClient().get(reverse("api-schema")).content)
    answers = schema["paths"]["/api/v1/offers/"]["get"]["responses"]
    assert "406" in answers and "Retry-After" in answers["429"]["headers"]
