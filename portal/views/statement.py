"""The accessibility statement (tilgjengelighetserklæring), linked from every footer."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

# When the statement's content was last checked against the portal; update with the text.
STATEMENT_DATE = datetime.date(2026, 12, 1)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html", {
        "accessibility_contact": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "api_docs_url": reverse("api-docs"),
        "statement_date": STATEMENT_DATE,
    })
