"""The hand-written .ics files, parsed back by an independent library (icalendar)."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from matching.meetings import ics
from matching.meetings.mail import calendar_file
from matching.meetings.services import meeting_cancel, meeting_update
from tests.matching.meetings.builders import make_meeting

OSLO = ZoneInfo("Europe/Oslo")


def _event(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    return calendar, events[0]


def test_summer_and_winter_times_carry_the_oslo_zone():
    for month, offset in ((7, 2), (1, 1)):
        start = dt.datetime(2027, month, 15, 10, 0, tzinfo=OSLO)
        data = ics.calendar(ics.CalendarEvent(
            uid="u1@test", sequence=0, start=start, end=start + dt.timedelta(hours=2),
            summary="Møteplass; bygg, anlegg", description="Linje 1\nLinje 2 – æøå " * 8,
            location="Rauland kulturhus, Vinje"))
        calendar, event = _event(data)
        begin = event.decoded("DTSTART")
        assert begin.hour == 10 and begin.utcoffset() == dt.timedelta(hours=offset)
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Oslo"
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
        assert str(event["SUMMARY"]) == "Møteplass; bygg, anlegg"
        assert str(event["DESCRIPTION"]).startswith("Linje 1\nLinje 2 – æøå")
        assert str(calendar["METHOD"]) == "PUBLISH"
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines must be folded"
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.django_db
def test_updates_raise_the_sequence_and_cancelling_sends_method_cancel():
    setup = make_meeting(invite=True)
    meeting = setup.meeting
    _cal, first = _event(calendar_file(meeting, attendee_email="a@b.no"))
    assert int(first["SEQUENCE"]) == 0
    later = meeting.starts_at + dt.timedelta(hours=1)
    meeting = meeting_update(meeting_id=meeting.pk, data={
        "starts_at": later, "slot_start": later + dt.timedelta(minutes=60)})
    calendar, updated = _event(calendar_file(meeting, attendee_email="a@b.no"))
    assert str(updated["UID"]) == str(first["UID"])
    assert int(updated["SEQUENCE"]) == 1
    assert str(calendar["METHOD"]) == "REQUEST"
    assert updated.decoded("DTSTART") == later.astimezone(OSLO)
    meeting = meeting_cancel(meeting_id=meeting.pk)
    calendar, cancelled = _event(calendar_file(meeting))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 2
