"""Builders for meeting tests (and the browser page list): a cohort-like meeting with a named
business in Seljord, an anonymous one in Vinje, and a provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from matching.meetings import services
from matching.models import Invitation, Meeting
from needs.models import SurveyResponse
from portal.models import Organisation
from tests import factories


def business_with_need(*, name: str, municipality: str, consent: str, participants: int = 4,
                       language: str = "nb", email: str = ""):
    org = factories.BusinessFactory(name=name, municipality=factories.municipality(municipality),
                                    contact_email=email or f"{name.split()[0].lower()}@bedrift.no")
    response = SurveyResponse.objects.create(organisation=org, consent=consent,
                                             status=SurveyResponse.Status.SUBMITTED,
                                             language=language)
    need = factories.NeedFactory(organisation=org, response=response, participants=participants)
    return org, need


@dataclass
class MeetingSetup:
    meeting: Meeting
    named: Organisation
    anonymous: Organisation
    provider: Organisation
    needs: list

    def invitation(self, org: Organisation) -> Invitation:
        return self.meeting.invitations.get(organisation=org)


def meeting_data(**overrides) -> dict:
    starts = timezone.localtime() + dt.timedelta(days=10)
    starts = starts.replace(hour=10, minute=0, second=0, microsecond=0)
    data = {
        "title": "Møteplass motorsag", "purpose": "Felles motorsagkurs i Vest-Telemark.",
        "agenda": "10:00 Velkommen\n10:30 Behovene\n11:00 Én-til-én", "starts_at": starts,
        "duration_minutes": 180, "municipality": factories.municipality("4036"),
        "address": "Rauland kulturhus", "online_url": "", "capacity": 30, "is_public": False,
        "slot_start": starts + dt.timedelta(minutes=60), "slot_minutes": 15, "slot_count": 4,
        "tables": 0,
    }
    data.update(overrides)
    return data


def make_meeting(*, invite: bool = False, provider: Organisation | None = None, by=None,
                 **overrides) -> MeetingSetup:
    named, need_a = business_with_need(name="Fjellhytter AS", municipality="4022",
                                       consent=SurveyResponse.Consent.NAMED)
    anonymous, need_b = business_with_need(name="Hemmelig Skog AS", municipality="4036",
                                           consent=SurveyResponse.Consent.ANONYMOUS,
                                           participants=12, language="nn")
    provider = provider or factories.ProviderFactory(name="Rauland Kurs",
                                                     contact_email="kurs@rauland.no")
    meeting = services.meeting_create(
        data=meeting_data(**overrides), invitee_ids=[named.pk, anonymous.pk, provider.pk],
        need_ids=[need_a.pk, need_b.pk], by=by)
    if invite:
        services.meeting_invite(meeting_id=meeting.pk)
        meeting.refresh_from_db()
    return MeetingSetup(meeting=meeting, named=named, anonymous=anonymous, provider=provider,
                        needs=[need_a, need_b])
