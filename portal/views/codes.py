"""The codes of the public contract (imports, exports, API) as a page and a CSV download:
municipalities with their older codes, competence areas, levels and formats."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from portal.choices import Format, Level
from portal.models import CompetenceArea, Municipality


def _areas():
    return CompetenceArea.objects.filter(is_active=True).select_related("parent").order_by(
        "sort_order", "code")


def _municipalities():
    return Municipality.objects.prefetch_related("aliases").order_by("-in_region", "name")


def codes_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/codes.html", {
        "municipalities": _municipalities(), "areas": _areas(),
        "levels": Level.choices, "formats": Format.choices,
    })


def codes_csv(request: HttpRequest) -> HttpResponse:
    """One row per code: list;code;label_nb;label_nn;label_en;older_codes ("," separated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["list", "code", "label_nb", "label_nn", "label_en", "older_codes"])
    for m in _municipalities():
        writer.writerow(["municipality", m.code, m.name, m.name, m.name,
                         ",".join(sorted(a.code for a in m.aliases.all()))])
    for area in _areas():
        writer.writerow(["area", area.code, area.label_nb, area.label_nn, area.label_en, ""])
    for name, choices in (("level", Level), ("format", Format)):
        for value in choices.values:
            labels = []
            for language in ("nb", "nn", "en"):
                with translation.override(language):
                    labels.append(str(choices(value).label))
            writer.writerow([name, value, *labels, ""])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kompetanseportalen-koder.csv"'
    return response
