"""An adviser limited to one municipality sees nothing of another: pages, exports, API."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from matching.models import CohortNeed, Match
from portal import access
from portal.models import User
from tests import factories

OTHER = "Fjellstue Vinjeheim AS"  # the business outside the scope
OTHER_NEED = "Kurs for Vinjeheim"


@pytest.fixture
def scoped(db):
    call_command("createadviser", "kommune@seljord.no", "--municipality", "4022",
                 stdout=io.StringIO())
    # Adviser rights need a second factor, as for every adviser.
    return factories.with_totp(User.objects.get(email="kommune@seljord.no"))


@pytest.fixture
def two_municipalities(db):
    inside = factories.BusinessFactory(name="Seljord Sag AS",
                                       municipality=factories.municipality("4022"))
    outside = factories.BusinessFactory(name=OTHER, municipality=factories.municipality("4036"))
    need_in = factories.NeedFactory(organisation=inside, title="Kurs for Seljord Sag",
                                    round=factories.SurveyRoundFactory())
    need_out = factories.NeedFactory(organisation=outside, title=OTHER_NEED,
                                     round=need_in.round)
    match_in = factories.MatchFactory(need=need_in, score=30)
    match_out = factories.MatchFactory(need=need_out, score=30, status=Match.Status.APPROVED)
    shared = factories.CohortFactory()
    CohortNeed.objects.create(cohort=shared, need=need_in)
    CohortNeed.objects.create(cohort=shared, need=need_out)
    only_out = factories.CohortFactory(key="only-vinje")
    CohortNeed.objects.create(cohort=only_out, need=need_out)
    return {"need_out": need_out, "match_in": match_in, "match_out": match_out,
            "shared": shared, "only_out": only_out}


def assert_hidden(content: bytes | str) -> None:
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    assert OTHER not in text
    assert OTHER_NEED not in text


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows()
                    for c in row if c.value is not None)


def test_createadviser_sets_and_lifts_the_scope(scoped):
    assert access.adviser_scope(scoped) == frozenset({"4022"})
    call_command("createadviser", "kommune@seljord.no", "--municipality", "3820",
                 "--municipality", "4024", stdout=io.StringIO())  # 3820: Seljord's old number
    assert access.adviser_scope(User.objects.get(pk=scoped.pk)) == frozenset({"4022", "4024"})
    call_command("createadviser", "kommune@seljord.no", "--all-municipalities",
                 stdout=io.StringIO())
    assert access.adviser_scope(User.objects.get(pk=scoped.pk)) is None


def test_createadviser_rejects_an_unknown_municipality(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command("createadviser", "x@fylke.no", "--municipality", "9999",
                     stdout=io.StringIO())


def test_scoped_adviser_sees_nothing_of_another_municipality_in_pages(client, scoped,
                                                                      two_municipalities):
    client.force_login(scoped)
    data = two_municipalities
    for url in (reverse("needs:adviser_list"), reverse("matching:adviser_home"),
                reverse("matching:adviser_home") + "?status=approved",
                reverse("matching:cohort_list"), reverse("matching:gap_report"),
                reverse("matching:cohort_detail", args=[data["shared"].pk]),
                reverse("matching:barometer")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hidden(response.content)
    assert "Seljord Sag AS" in client.get(reverse("needs:adviser_list")).content.decode()
    cohorts = client.get(reverse("matching:cohort_list")).content.decode()
    assert reverse("matching:cohort_detail", args=[data["only_out"].pk]) not in cohorts
    for url in (reverse("needs:need_detail", args=[data["need_out"].pk]),
                reverse("matching:match_detail", args=[data["match_out"].pk]),
                reverse("matching:cohort_detail", args=[data["only_out"].pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("matching:match_detail",
                              args=[data["match_in"].pk])).status_code == 200
    assert client.get(reverse("matching:barometer"),
                      {"municipality": "4036"}).status_code == 400


def test_scoped_adviser_sees_nothing_of_another_municipality_in_exports(client, scoped,
                                                                        two_municipalities):
    client.force_login(scoped)
    assert_hidden(client.get(reverse("needs:adviser_export")).content)
    assert_hidden(xlsx_text(client.get(reverse("needs:adviser_export"),
                                       {"fmt": "xlsx"}).content))
    assert_hidden(client.get(reverse("matching:gap_report_csv")).content)
    dashboard_csv = client.get(reverse("matching:barometer_csv", args=["municipalities"]))
    assert dashboard_csv.status_code == 200
    assert "Vinje" not in dashboard_csv.content.decode()
    workbook = xlsx_text(client.get(reverse("matching:barometer_xlsx")).content)
    assert "Vinje" not in workbook and "Seljord" in workbook


def test_scoped_adviser_sees_nothing_of_another_municipality_in_the_api(client, scoped,
                                                                        two_municipalities):
    client.force_login(scoped)
    data = two_municipalities
    for name in ("api-needs", "api-matches", "api-cohorts", "api-gaps"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_hidden(response.content)
    needs = client.get(reverse("api-needs")).json()
    assert len(needs["results"]) == 1
    assert client.get(reverse("api-need", args=[data["need_out"].pk])).status_code == 404
    matches = client.get(reverse("api-matches"), {"status": "approved"}).json()
    assert matches["results"] == []
    cohorts = client.get(reverse("api-cohorts")).json()
    assert {c["key"] for c in cohorts["results"]} == {data["shared"].key}
    gaps = client.get(reverse("api-gaps")).json()
    assert {r["municipality_code"] for r in gaps["results"]} == {"4022"}


def test_a_county_adviser_without_a_limit_sees_every_municipality(client, two_municipalities):
    adviser = factories.adviser()
    assert access.adviser_scope(adviser) is None
    client.force_login(adviser)
    assert OTHER in client.get(reverse("needs:adviser_list")).content.decode()
    assert len(client.get(reverse("api-needs")).json()["results"]) == 2


def test_scoped_adviser_cohort_figures_count_only_their_members(scoped, two_municipalities):
    from matching.barometer import statistics
    from matching.barometer.selectors import Filters

    county = statistics.adviser_dashboard(Filters()).report.table("cohorts")
    assert county.rows[-1].cells[0].value == 2  # both cohorts
    assert county.rows[-1].cells[2].value == 9 + 9  # as the cohorts record them
    seljord = statistics.adviser_dashboard(Filters(municipalities=frozenset({"4022"})))
    table = seljord.report.table("cohorts")
    # Only the shared cohort, and only its Seljord member's 4 participants.
    assert [c.value for c in table.rows[-1].cells] == [1, 1, 4]


def test_scoped_adviser_sees_only_meetings_in_their_municipalities(client, scoped, db):
    """Held in their municipalities, or (an online meeting) created by them."""
    from matching.meetings import services
    from matching.meetings.models import MeetingJoinRequest
    from tests.matching.meetings.builders import meeting_data

    seljord = factories.BusinessFactory(name="Seljord Sag AS",
                                        municipality=factories.municipality("4022"))
    vinje = factories.BusinessFactory(name=OTHER, municipality=factories.municipality("4036"))

    def meeting(title, municipality, invitees, by=None):
        place = ({"municipality": factories.municipality(municipality)} if municipality else
                 {"municipality": None, "address": "", "online_url": "https://meet.example/a"})
        return services.meeting_create(data=meeting_data(title=title, **place),
                                       invitee_ids=[org.pk for org in invitees], by=by)

    in_vinje = meeting("Møte i Vinje", "4036", [vinje, seljord])
    in_seljord = meeting("Møte i Seljord", "4022", [seljord])
    own_online = meeting("Nettmøte for Seljord", None, [seljord], by=scoped)
    others_online = meeting("Nettmøte fra fylket", None, [vinje])
    client.force_login(scoped)
    listing = client.get(reverse("meetings:adviser_list")).content.decode()
    assert "Møte i Seljord" in listing and "Nettmøte for Seljord" in listing
    assert "Møte i Vinje" not in listing and "Nettmøte fra fylket" not in listing
    for hidden in (in_vinje, others_online):
        assert client.get(reverse("meetings:manage", args=[hidden.pk])).status_code == 404
    for allowed in (in_seljord, own_online):
        assert client.get(reverse("meetings:manage", args=[allowed.pk])).status_code == 200
    join = MeetingJoinRequest.objects.create(meeting=in_vinje, organisation=vinje)
    assert client.post(reverse("meetings:join_decide", args=[join.pk]),
                       {"decision": "approve"}).status_code == 404
    join.refresh_from_db()
    assert join.status == MeetingJoinRequest.Status.PENDING
    county = factories.adviser()
    client.force_login(county)
    assert "Møte i Vinje" in client.get(reverse("meetings:adviser_list")).content.decode()


def test_match_page_keeps_one_sql_per_scope(adviser_user, scoped, two_municipalities):
    """The match page's SQL is kept per process and scope: a county-wide adviser opening a
    match first does not open it to a scoped one."""
    from django.test import Client

    url = reverse("matching:match_detail", args=[two_municipalities["match_out"].pk])
    county, limited = Client(), Client()
    county.force_login(adviser_user)
    limited.force_login(scoped)
    assert county.get(url).status_code == 200
    assert limited.get(url).status_code == 404
    assert county.get(url).status_code == 200
