import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from needs.exporting import escape_cell
from needs.models import Need, SurveyRound
from tests import factories
from tests.factories import NeedFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


def test_filters_by_area_including_sub_areas_and_keep_the_url(adviser_client):
    motorsag = NeedFactory(title="Motorsag")
    top = NeedFactory(title="Skog generelt", area=factories.area("skog"))
    helse = NeedFactory(title="Helse", area=factories.area("helse.helsefagarbeider"))
    page = adviser_client.get(reverse("needs:adviser_list"),
                              {"area": factories.area("skog").pk})
    shown = {n.pk for n in page.context["page"]}
    assert shown == {motorsag.pk, top.pk}
    assert helse.pk not in shown
    assert f"area={factories.area('skog').pk}" in page.context["query"]


def test_filters_by_round_municipality_status_priority(adviser_client):
    r1, r2 = SurveyRoundFactory(), SurveyRoundFactory()
    vinje = factories.BusinessFactory(municipality=factories.municipality("4036"))
    wanted = NeedFactory(round=r1, organisation=vinje, priority="high")
    NeedFactory(round=r2, organisation=vinje, priority="high")
    NeedFactory(round=r1, priority="high")
    NeedFactory(round=r1, organisation=vinje, priority="low")
    NeedFactory(round=r1, organisation=vinje, priority="high", status=Need.Status.DRAFT)
    page = adviser_client.get(reverse("needs:adviser_list"), {
        "round": r1.pk, "municipality": factories.municipality("4036").pk,
        "status": "submitted", "priority": "high"})
    assert [n.pk for n in page.context["page"]] == [wanted.pk]


def test_pagination(adviser_client):
    for _ in range(55):
        NeedFactory()
    page = adviser_client.get(reverse("needs:adviser_list"), {"page": 2})
    assert len(page.context["page"]) == 5


def test_csv_export_escapes_formulas(adviser_client):
    NeedFactory(title="=HYPERLINK(\"http://evil\")", description="+47 sum",
                organisation=factories.BusinessFactory(name="@Bedrift"))
    response = adviser_client.get(reverse("needs:adviser_export"), {"fmt": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1] == "'@Bedrift"
    assert rows[1][6].startswith("'=HYPERLINK")
    assert rows[1][7] == "'+47 sum"


def test_excel_export_escapes_formulas_and_respects_filters(adviser_client):
    NeedFactory(title="-1+1", area=factories.area("helse.helsefagarbeider"))
    NeedFactory(title="Motorsag")
    response = adviser_client.get(reverse("needs:adviser_export"), {
        "fmt": "xlsx", "area": factories.area("helse").pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][6] == "'-1+1"
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in rows[1])


def test_escape_cell():
    assert escape_cell("=1+1") == "'=1+1"
    assert escape_cell("@x") == "'@x"
    assert escape_cell("Motorsag") == "Motorsag"
    assert escape_cell(-5) == -5


def test_adviser_creates_opens_and_closes_rounds(adviser_client):
    response = adviser_client.post(reverse("needs:round_create"), {
        "name": "Kompetansekartlegging 2030", "opens_on": "2030-01-01",
        "closes_on": "2030-03-01", "intro": "Velkommen"})
    assert response.status_code == 302
    survey_round = SurveyRound.objects.get(name="Kompetansekartlegging 2030")
    assert survey_round.year == 2030 and not survey_round.is_open
    adviser_client.post(reverse("needs:round_open", kwargs={"pk": survey_round.pk}))
    survey_round.refresh_from_db()
    assert survey_round.is_open
    page = adviser_client.get(reverse("needs:round_list"))
    assert 'data-open="1"' in page.content.decode()
    adviser_client.post(reverse("needs:round_close", kwargs={"pk": survey_round.pk}))
    survey_round.refresh_from_db()
    assert not survey_round.is_open


def test_round_form_refuses_closing_before_opening(adviser_client):
    page = adviser_client.post(reverse("needs:round_create"), {
        "name": "X", "opens_on": "2030-03-01", "closes_on": "2030-01-01"})
    assert "closes_on" in page.context["form"].errors


def test_adviser_edits_a_round(adviser_client):
    survey_round = SurveyRoundFactory()
    adviser_client.post(reverse("needs:round_edit", kwargs={"pk": survey_round.pk}), {
        "name": "Nytt navn", "opens_on": "2030-01-01", "closes_on": "2030-03-01", "intro": ""})
    survey_round.refresh_from_db()
    assert survey_round.name == "Nytt navn"


@pytest.mark.parametrize("name", ["needs:round_create", "needs:import_upload",
                                  "needs:round_list", "needs:adviser_list"])
def test_adviser_pages_render(adviser_client, name):
    SurveyRoundFactory()
    NeedFactory()
    page = adviser_client.get(reverse(name))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1


def test_round_edit_page_renders(adviser_client):
    survey_round = SurveyRoundFactory()
    page = adviser_client.get(reverse("needs:round_edit", kwargs={"pk": survey_round.pk}))
    assert page.status_code == 200 and survey_round.name in page.content.decode()
