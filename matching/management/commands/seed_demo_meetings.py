"""Demo meeting place: one public meeting for the largest cohort, with invitations sent.

Run by `seed_demo` after the re-match; idempotent (a meeting for the cohort is made once).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from matching.meetings import services
from matching.models import Cohort, CohortRequest, Meeting
from matching.selectors import cohort_members
from portal.models import Organisation


class Command(BaseCommand):
    help = "Creates a demo meeting (møteplass) for the largest cohort."

    def handle(self, *args, **options) -> None:
        cohort = Cohort.objects.filter(is_current=True).select_related(
            "area", "anchor_municipality").order_by("-participants", "key").first()
        if cohort is None:
            self.stdout.write("No cohort yet: no demo meeting.")
            return
        if Meeting.objects.filter(cohort=cohort).exists():
            return
        needs = list(cohort_members(cohort))
        providers = list(CohortRequest.objects.filter(cohort=cohort).values_list(
            "provider_id", flat=True)) or list(Organisation.objects.filter(
                kind=Organisation.Kind.PROVIDER).order_by("pk").values_list("pk", flat=True)[:2])
        place = cohort.anchor_municipality or next(
            (n.organisation.municipality for n in needs if n.organisation.municipality), None)
        starts = (timezone.localtime() + dt.timedelta(days=14)).replace(
            hour=10, minute=0, second=0, microsecond=0)
        meeting = services.meeting_create(
            data={"title": f"Møteplass: {cohort.area.label_nb}",
                  "purpose": "Bedrifter med felles behov møter tilbydere som kan holde kurset.",
                  "agenda": "10:00 Velkommen og kaffe\n10:20 Behovene\n11:00 Én-til-én-møter\n"
                            "12:00 Veien videre",
                  "starts_at": starts, "duration_minutes": 150,
                  "municipality": place, "address": "Kommunehuset" if place else "",
                  "online_url": "" if place else "https://moete.example.no/moteplass",
                  "capacity": 40, "is_public": True,
                  "slot_start": starts + dt.timedelta(minutes=60), "slot_minutes": 15,
                  "slot_count": 4, "tables": 0},
            invitee_ids=sorted({n.organisation_id for n in needs} | set(providers)),
            need_ids=[n.pk for n in needs], cohort_id=cohort.pk)
        services.meeting_invite(meeting_id=meeting.pk)
        self.stdout.write(f"Demo meeting: {meeting.title} ({meeting.invitations.count()} invited)")
