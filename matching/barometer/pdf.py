"""The barometer as a PDF report the county can attach to its annual report (weasyprint).

Built from the same report (tables, one-sentence summaries, SVG charts) as the page it comes
from: the adviser's exact figures, or the public release after disclosure control. Nothing is
fetched while rendering: the stylesheet is read from our own static files, the fonts are the
system's (fontconfig), and the fetcher refuses every URL.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from .tables import Report

STYLESHEET = "css/barometer-pdf.css"


def _stylesheet() -> str:
    found = finders.find(STYLESHEET)
    path = Path(found) if found else Path(settings.STATIC_ROOT or "") / STYLESHEET
    return path.read_text(encoding="utf-8")


def report_pdf(report: Report, *, title: str, place: str, round_label: str,
               audience: str) -> bytes:
    """`audience`: "public" (after disclosure control) or "adviser" (exact figures)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("matching/barometer/report_pdf.html", {
        "report": report, "title": title, "place": place, "round_label": round_label,
        "audience": audience, "language": get_language(), "made": timezone.localtime(),
    })
    refuse_all = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=refuse_all).write_pdf(
        stylesheets=[CSS(string=_stylesheet(), url_fetcher=refuse_all)])
