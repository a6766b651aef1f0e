"""The meeting pages through the test client: the adviser's create (from a cohort, a provider's
answer, chosen needs), manage and outcome pages, access rules, and bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import CohortNeed, CohortRequest, Invitation, Meeting
from needs.models import SurveyResponse
from tests import factories
from tests.matching.meetings.builders import business_with_need, make_meeting

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    starts = (timezone.localtime() + dt.timedelta(days=14)).replace(hour=9, minute=30)
    data = {"title": "Møteplass bygg", "purpose": "Felles kurs", "agenda": "09:30 Kaffe",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "120",
            "municipality": str(factories.municipality("4036").pk), "address": "Kulturhuset",
            "online_url": "", "capacity": "20", "slot_minutes": "15", "slot_count": "0",
            "tables": "0"}
    data.update(overrides)
    return data


def _cohort_with_needs():
    cohort = factories.CohortFactory()
    needs = []
    for name, code in (("Byggmester AS", "4036"), ("Tømrer AS", "4034")):
        _org, need = business_with_need(name=name, municipality=code,
                                        consent=SurveyResponse.Consent.NAMED)
        CohortNeed.objects.create(cohort=cohort, need=need)
        needs.append(need)
    return cohort, needs


def test_adviser_creates_a_meeting_from_a_cohort(adviser_client):
    cohort, needs = _cohort_with_needs()
    provider = factories.ProviderFactory()
    CohortRequest.objects.create(cohort=cohort, provider=provider,
                                 status=CohortRequest.Status.INTERESTED)
    url = reverse("meetings:create") + f"?cohort={cohort.pk}"
    page = adviser_client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.initial["invitees"]) == {n.organisation_id for n in needs} | {provider.pk}
    data = _form_data(needs=[str(n.pk) for n in needs],
                      invitees=[str(pk) for pk in form.initial["invitees"]])
    response = adviser_client.post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.cohort == cohort and meeting.status == Meeting.Status.DRAFT
    assert timezone.localtime(meeting.starts_at).hour == 9  # Oslo time as typed
    assert meeting.invitations.count() == 3 and meeting.needs.count() == 2
    assert adviser_client.get(reverse("meetings:manage", args=[meeting.pk])).status_code == 200


def test_adviser_creates_from_a_providers_answer_and_from_chosen_needs(adviser_client):
    cohort, needs = _cohort_with_needs()
    provider = factories.ProviderFactory()
    answer = CohortRequest.objects.create(cohort=cohort, provider=provider,
                                          status=CohortRequest.Status.INTERESTED)
    page = adviser_client.get(reverse("meetings:create") + f"?request={answer.pk}")
    assert page.status_code == 200 and provider.pk in page.context["form"].initial["invitees"]
    found = adviser_client.get(reverse("meetings:create") + "?area=skog")
    assert {n.pk for n in found.context["form"].fields["needs"].queryset} >= {
        n.pk for n in needs}
    assert adviser_client.get(reverse("meetings:create") + "?request=999999").status_code == 404


def test_a_cohort_outside_the_advisers_scope_is_a_404_on_the_create_page(client):
    import io

    from django.core.management import call_command

    from portal.models import User

    cohort, _needs = _cohort_with_needs()  # businesses in Vinje and Tokke
    answer = CohortRequest.objects.create(cohort=cohort, provider=factories.ProviderFactory(),
                                          status=CohortRequest.Status.INTERESTED)
    call_command("createadviser", "kommune@seljord.no", "--municipality", "4022",
                 stdout=io.StringIO())
    client.force_login(factories.with_totp(User.objects.get(email="kommune@seljord.no")))
    for query in (f"?cohort={cohort.pk}", f"?request={answer.pk}"):
        assert client.get(reverse("meetings:create") + query).status_code == 404, query


def test_bad_input_is_a_clear_400(adviser_client):
    response = adviser_client.post(reverse("meetings:create"), _form_data(
        municipality="", online_url="", starts_at="2001-01-01T10:00", slot_count="3"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"municipality", "starts_at"} <= set(errors)
    assert adviser_client.post(reverse("meetings:create"), {"title": ""}).status_code == 400


def test_adviser_pages_are_closed_to_businesses_and_providers(client):
    setup = make_meeting(invite=True)
    for org in (setup.named, setup.provider):
        client.force_login(factories.member_of(org))
        for name in ("manage", "edit", "outcome"):
            assert client.get(reverse(f"meetings:{name}", args=[setup.meeting.pk])
                              ).status_code == 403
        assert client.post(reverse("meetings:cancel", args=[setup.meeting.pk])
                           ).status_code == 403
        assert client.get(reverse("meetings:adviser_list")).status_code == 403


def test_a_draft_is_invisible_to_its_invitees(client):
    setup = make_meeting()
    client.force_login(factories.member_of(setup.named))
    assert client.get(reverse("meetings:detail", args=[setup.meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:mine")).status_code == 200


def test_invitee_pages_agenda_and_calendar_download(client):
    setup = make_meeting(invite=True)
    client.force_login(factories.member_of(setup.named))
    for name in ("detail", "agenda", "ics"):
        response = client.get(reverse(f"meetings:{name}", args=[setup.meeting.pk]))
        assert response.status_code == 200, name
    ics = client.get(reverse("meetings:ics", args=[setup.meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"TZID=Europe/Oslo" in ics.content


def test_adviser_flow_through_the_pages(adviser_client, django_capture_on_commit_callbacks):
    setup = make_meeting()
    pk = setup.meeting.pk
    with django_capture_on_commit_callbacks(execute=True):
        assert adviser_client.post(reverse("meetings:invite", args=[pk])).status_code == 302
    assert Meeting.objects.get(pk=pk).status == Meeting.Status.INVITED
    extra = factories.BusinessFactory()
    adviser_client.post(reverse("meetings:add_invitees", args=[pk]),
                        {"organisations": [str(extra.pk)]})
    assert Invitation.objects.filter(meeting_id=pk, organisation=extra).exists()
    assert adviser_client.post(reverse("meetings:schedule", args=[pk])).status_code == 302
    edit = adviser_client.post(reverse("meetings:edit", args=[pk]), _form_data(
        slot_count="0", title="Nytt navn"))
    assert edit.status_code == 302 and Meeting.objects.get(pk=pk).title == "Nytt navn"
    assert adviser_client.post(reverse("meetings:cancel", args=[pk])).status_code == 302
    assert Meeting.objects.get(pk=pk).status == Meeting.Status.CANCELLED
    assert adviser_client.post(reverse("meetings:edit", args=[pk]), _form_data()
                               ).status_code == 400


def test_demo_meeting_is_made_once_for_the_largest_cohort(django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    cohort, _needs = _cohort_with_needs()
    factories.ProviderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo_meetings", stdout=io.StringIO())
        call_command("seed_demo_meetings", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    assert meeting.cohort == cohort and meeting.is_public
    assert meeting.status == Meeting.Status.INVITED and meeting.invitations.count() == 3


def test_a_scoped_adviser_can_invite_only_businesses_in_their_scope(client):
    adviser = factories.scoped_adviser("4022")
    setup = make_meeting(by=adviser)
    inside = factories.BusinessFactory(name="Seljord Bakeri AS",
                                       municipality=factories.municipality("4022"))
    outside = factories.BusinessFactory(name="Tinn Taxi AS",
                                        municipality=factories.municipality("4026"))
    provider = factories.ProviderFactory(name="Tinn Kurs")
    client.force_login(adviser)
    page = client.get(reverse("meetings:manage", args=[setup.meeting.pk])).content.decode()
    assert "Seljord Bakeri AS" in page and "Tinn Kurs" in page
    assert "Tinn Taxi AS" not in page

    client.post(reverse("meetings:add_invitees", args=[setup.meeting.pk]),
                {"organisations": [str(outside.pk)]})
    assert not Invitation.objects.filter(meeting=setup.meeting, organisation=outside).exists()
    client.post(reverse("meetings:add_invitees", args=[setup.meeting.pk]),
                {"organisations": [str(inside.pk), str(provider.pk)]})
    assert set(Invitation.objects.filter(meeting=setup.meeting).values_list(
        "organisation_id", flat=True)) >= {inside.pk, provider.pk}
