"""The public code lists: a page and a CSV, linked from both import pages."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_codes_page_lists_areas_municipalities_levels_and_formats(client):
    html = client.get(reverse("portal:codes")).content.decode()
    for code in ("skog.motorsag", "4036", "3825", "higher_education", "blended"):
        assert f"<code>{code}</code>" in html
    assert reverse("portal:codes_csv") in html


def test_code_list_downloads_as_csv_in_three_languages(client):
    response = client.get(reverse("portal:codes_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")),
                               delimiter=";"))
    by_code = {(r["list"], r["code"]): r for r in rows}
    assert by_code[("area", "skog.motorsag")]["label_nb"] == "Motorsagkurs"
    assert by_code[("municipality", "4036")]["older_codes"] == "0834,3825"
    assert by_code[("format", "online")]["label_en"] == "Online"
    assert by_code[("level", "course")]["label_nb"] == "Kurs eller sertifikat"


@pytest.mark.parametrize("role,url", [("provider", "offers:import"),
                                      ("adviser", "needs:import_upload")])
def test_both_import_pages_link_the_codes(request, role, url):
    client = request.getfixturevalue(f"{role}_client")
    html = client.get(reverse(url)).content.decode()
    assert reverse("portal:codes") in html and reverse("portal:codes_csv") in html
