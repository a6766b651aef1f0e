"""RFC 5545 calendar files for meetings, written by hand (a few dozen lines need no library).

Times are local Europe/Oslo times with a `TZID`, and the file carries the matching `VTIMEZONE`
(CET/CEST with the EU rules since 1996), so calendars show the right hour whatever their own
zone. An update keeps the `UID` and raises `SEQUENCE`; a cancellation is `METHOD:CANCEL` with
`STATUS:CANCELLED` (RFC 5546), which calendar programs apply to the entry they already have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZID = "Europe/Oslo"
OSLO = ZoneInfo(TZID)
PRODID = "-//Kompetanseportalen//Moteplass//NO"

VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: dt.datetime  # aware
    end: dt.datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_email: str = ""
    organizer_name: str = ""
    attendee_email: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space, never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _local(value: dt.datetime) -> str:
    return value.astimezone(OSLO).strftime("%Y%m%dT%H%M%S")


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', "'") + '"'


def calendar(event: CalendarEvent, *, now: dt.datetime | None = None) -> bytes:
    """One VEVENT in a VCALENDAR, as the bytes of an .ics file (UTF-8, CRLF line ends)."""
    stamp = now or dt.datetime.now(dt.UTC)
    method = "CANCEL" if event.cancelled else "REQUEST" if event.attendee_email else "PUBLISH"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             f"METHOD:{method}", *VTIMEZONE, "BEGIN:VEVENT",
             f"UID:{event.uid}", f"SEQUENCE:{event.sequence}", f"DTSTAMP:{_utc(stamp)}",
             f"DTSTART;TZID={TZID}:{_local(event.start)}",
             f"DTEND;TZID={TZID}:{_local(event.end)}",
             f"SUMMARY:{escape_text(event.summary)}"]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.organizer_email:
        name = f";CN={_quoted(event.organizer_name)}" if event.organizer_name else ""
        lines.append(f"ORGANIZER{name}:mailto:{event.organizer_email}")
    if event.attendee_email:
        lines.append("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:"
                     f"mailto:{event.attendee_email}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
