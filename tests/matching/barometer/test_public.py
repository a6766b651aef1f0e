"""The public barometer: the same cells are protected on the page, in the CSV, in the API and
in the change between rounds; a filter down to one business shows nothing identifying."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from needs.models import Need, SurveyResponse
from tests import factories

SECRET_TITLE = "Hemmelig prosjekt hos Vinje Fjellhotell"


@pytest.fixture
def public_data(db):
    """2025: Seljord 5 businesses (skog), Vinje 3 (reiseliv) – all publishable.
    2026: Seljord 5 (skog, SN A), Tinn 3 (bygg, SN F), Vinje ONE business (reiseliv, SN I)."""
    today = dt.date.today()
    r2025 = factories.SurveyRoundFactory(year=2025, opens_on=today - dt.timedelta(days=400),
                                         closes_on=today - dt.timedelta(days=300))
    r2026 = factories.SurveyRoundFactory(year=2026, opens_on=today - dt.timedelta(days=30),
                                         closes_on=today + dt.timedelta(days=30))

    def business(code, industry, n, name=None):
        return [factories.BusinessFactory(municipality=factories.municipality(code),
                                          industry_code=industry, employees=8,
                                          name=name or f"{code}-{industry}-{i}")
                for i in range(n)]

    seljord = business("4022", "02.200", 5)
    tinn = business("4026", "41.200", 3)
    vinje = business("4036", "55.101", 2) + business("4036", "55.101", 1,
                                                      name="Vinje Fjellhotell AS")
    for org in seljord:
        factories.NeedFactory(organisation=org, round=r2025, area=factories.area("skog"),
                              participants=2)
        factories.NeedFactory(organisation=org, round=r2026, area=factories.area("skog"),
                              participants=2)
    for org in vinje:
        factories.NeedFactory(organisation=org, round=r2025, area=factories.area("reiseliv"),
                              participants=3)
    for org in tinn:
        factories.NeedFactory(organisation=org, round=r2026, area=factories.area("bygg"),
                              participants=2)
    alone = vinje[-1]
    factories.NeedFactory(organisation=alone, round=r2026, area=factories.area("reiseliv"),
                          participants=4, title=SECRET_TITLE, description=SECRET_TITLE)
    SurveyResponse.objects.create(organisation=alone, round=r2026,
                                  status=SurveyResponse.Status.SUBMITTED,
                                  consent=SurveyResponse.Consent.STATISTICS,
                                  overall_need="large", measures=["hire_in"])
    return {"r2025": r2025, "r2026": r2026, "alone": alone}


def csv_rows(client) -> list[dict]:
    response = client.get(reverse("barometer:data_csv"))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def find(rows, **match) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_one_business_in_a_municipality_is_suppressed_everywhere(client, public_data):
    rows = csv_rows(client)
    vinje = find(rows, round="2026", municipality_code="4036", area_code="", level="",
                 measure="needs")
    assert vinje["suppressed"] == "true" and vinje["value"] == ""
    # Region minus Seljord minus Tinn would give Vinje away: Tinn goes too (the smaller).
    tinn = find(rows, round="2026", municipality_code="4026", area_code="", level="",
                measure="needs")
    assert tinn["suppressed"] == "true"
    region = find(rows, round="2026", municipality_code="", area_code="", level="",
                  measure="needs")
    assert region["value"] == "9" and region["suppressed"] == "false"
    seljord = find(rows, round="2026", municipality_code="4022", area_code="", level="",
                   measure="needs")
    assert seljord["value"] == "5"
    # The other table: industry section I is Vinje's one business, F must cover for it.
    assert find(rows, round="2026", measure="industry.I.needs")["suppressed"] == "true"
    assert find(rows, round="2026", measure="industry.F.needs")["suppressed"] == "true"
    assert find(rows, round="2026", measure="industry.A.needs")["value"] == "5"
    # No published value anywhere is the lone business's 4 participants in reiseliv.
    for row in rows:
        if row["round"] == "2026" and row["area_code"] == "reiseliv":
            assert row["suppressed"] == "true", row


def test_the_api_carries_the_same_rows_as_the_csv(client, public_data):
    rows = csv_rows(client)
    response = client.get(reverse("api-barometer"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(rows)
    as_csv = [{**r, "municipality_code": r["municipality_code"] or None,
               "area_code": r["area_code"] or None, "level": r["level"] or None,
               "value": None if r["value"] == "" else float(r["value"]),
               "suppressed": r["suppressed"] == "true"} for r in rows]
    as_json = [{**r, "value": None if r["value"] is None else float(r["value"]),
                "round": str(r["round"])} for r in body["results"]]
    assert as_json == as_csv


def test_the_api_filters_by_round_and_municipality_and_rejects_unknown_ones(client,
                                                                            public_data):
    body = client.get(reverse("api-barometer"), {"round": "2026",
                                                  "municipality": "4036"}).json()
    assert body["results"] and all(r["municipality_code"] == "4036" for r in body["results"])
    assert all(r["suppressed"] for r in body["results"])
    assert client.get(reverse("api-barometer"), {"municipality": "9999"}).status_code == 400
    assert client.get(reverse("api-barometer"), {"round": "1999"}).status_code == 400


def test_the_page_shows_the_same_cells_withheld(client, public_data):
    html = client.get(reverse("barometer:public"), {"round": public_data["r2026"].pk},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-code="4036"' in html
    row = html.split('data-code="4036"', 1)[1].split("</tr>", 1)[0]
    assert row.count('data-withheld="') == 6  # needs … change: all withheld
    tinn = html.split('data-code="4026"', 1)[1].split("</tr>", 1)[0]
    assert 'data-withheld="secondary"' in tinn
    assert "fewer than 3 businesses" in html


def test_the_change_between_rounds_does_not_reveal_a_withheld_cell(client, public_data):
    # Vinje was published in 2025 (3 needs) and is withheld in 2026: no "change" is shown,
    # so 2025 + change cannot give 2026 away; the open data has no change rows at all.
    html = client.get(reverse("barometer:public"), {"round": public_data["r2026"].pk},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html.split('data-code="4036"', 1)[1].split("</tr>", 1)[0]
    assert row.rsplit("<td", 1)[1].startswith(' data-withheld=')
    rows = csv_rows(client)
    assert find(rows, round="2025", municipality_code="4036", area_code="", level="",
                measure="needs")["value"] == "3"
    assert not [r for r in rows if "change" in r["measure"]]


def test_a_filter_down_to_one_business_shows_nothing_identifying(client, public_data):
    response = client.get(reverse("barometer:public"), {"municipality": "4036"})
    assert response.status_code == 200
    html = response.content.decode()
    for figure in ("needs", "participants", "businesses", "coverage", "gaps"):
        tile = html.split(f'data-figure="{figure}"', 1)[1].split("</li>", 1)[0]
        assert ">–<" in tile, figure
    for secret in (SECRET_TITLE, "Vinje Fjellhotell", public_data["alone"].contact_email,
                   public_data["alone"].orgnr):
        assert secret not in html
        assert secret not in client.get(reverse("barometer:data_csv")).content.decode()
        assert secret not in client.get(reverse("api-barometer")).content.decode()
    # Its survey answers (it chose "statistics only": counted, never shown alone).
    rows = csv_rows(client)
    assert find(rows, round="2026", municipality_code="4036",
                measure="measure.hire_in.respondents")["suppressed"] == "true"


def test_statistics_only_needs_are_counted(client, public_data):
    # Seljord's five businesses have no survey response (the safest reading is "statistics
    # only") and are all counted.
    rows = csv_rows(client)
    assert find(rows, round="2026", municipality_code="4022", area_code="skog", level="",
                measure="participants")["value"] == "10"


def test_bad_filters_are_a_400_not_a_500(client, public_data):
    assert client.get(reverse("barometer:public"), {"round": "x"}).status_code == 400
    assert client.get(reverse("barometer:public"), {"municipality": "0301"}).status_code == 400


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_page_works_in_every_language(client, public_data, language):
    response = client.get(reverse("barometer:public"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_an_empty_portal_has_a_page(client, db):
    assert client.get(reverse("barometer:public")).status_code == 200
    assert client.get(reverse("barometer:data_csv")).status_code == 200
    assert client.get(reverse("api-barometer")).json()["count"] == 0


def test_the_cached_page_is_rebuilt_when_a_need_changes(client, public_data,
                                                        django_capture_on_commit_callbacks):
    def seljord_needs():
        return find(csv_rows(client), round="2026", municipality_code="4022", area_code="",
                    level="", measure="needs")["value"]

    assert seljord_needs() == "5"
    org = factories.BusinessFactory(municipality=factories.municipality("4022"))
    with django_capture_on_commit_callbacks(execute=True):
        factories.NeedFactory(organisation=org, round=public_data["r2026"],
                              area=factories.area("skog"))
    assert seljord_needs() == "6"
    need = Need.objects.filter(organisation=org).get()
    with django_capture_on_commit_callbacks(execute=True):
        need.status = Need.Status.WITHDRAWN
        need.save()
    assert seljord_needs() == "5"


def test_the_dataset_description_is_dcat_ap_no_json_ld(client, public_data):
    from pyld import jsonld

    response = client.get(reverse("barometer:dataset"))
    assert response["Content-Type"].startswith("application/ld+json")
    expanded = jsonld.expand(response.json())
    assert len(expanded) == 1
    dataset = expanded[0]
    dct, dcat = "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#"
    assert dataset["@type"] == [f"{dcat}Dataset"]
    titles = {t["@language"]: t["@value"] for t in dataset[f"{dct}title"]}
    assert set(titles) == {"nb", "nn", "en"}
    assert dataset[f"{dct}description"]
    assert dataset[f"{dct}publisher"][0]["@id"].endswith("821227062")
    assert dataset[f"{dct}license"][0]["@id"] == "http://data.norge.no/nlod/no/2.0"
    temporal = dataset[f"{dct}temporal"][0]
    assert temporal[f"{dcat}startDate"][0]["@value"] == str(public_data["r2025"].opens_on)
    assert temporal[f"{dcat}endDate"][0]["@value"] == str(public_data["r2026"].closes_on)
    spatial = {s["@id"].rsplit("/", 1)[1] for s in dataset[f"{dct}spatial"]}
    assert spatial == {"4026", "4024", "4022", "4028", "4030", "4032", "4034", "4036"}
    distributions = dataset[f"{dcat}distribution"]
    media = {d[f"{dcat}mediaType"][0]["@id"].rsplit("/", 2)[-2:][1] for d in distributions}
    assert media == {"csv", "json"}
    for distribution in distributions:
        assert distribution[f"{dcat}accessURL"][0]["@id"].startswith("http")
        assert distribution[f"{dct}license"][0]["@id"].endswith("/2.0")


def test_the_api_is_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/barometer/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"round", "municipality"}
    assert operation.get("security") in (None, [], [{}]) or {} in operation["security"]


def test_a_change_in_one_round_protects_only_that_round_again(public_data, monkeypatch):
    from matching.barometer import cache as barometer_cache

    built = []
    real_build = barometer_cache.build

    def counting_build(round_id, *args, **kwargs):
        built.append(round_id)
        return real_build(round_id, *args, **kwargs)

    monkeypatch.setattr(barometer_cache, "build", counting_build)
    barometer_cache.public_releases()
    assert sorted(built) == sorted([public_data["r2025"].pk, public_data["r2026"].pk])
    built.clear()
    barometer_cache.invalidate(public_data["r2026"].pk)
    releases = barometer_cache.public_releases()
    assert built == [public_data["r2026"].pk]
    assert [r["id"] for r, _label, _release in releases] == [public_data["r2025"].pk,
                                                             public_data["r2026"].pk]
    built.clear()
    barometer_cache.invalidate()  # shared: every round
    barometer_cache.public_releases()
    assert len(built) == 2
