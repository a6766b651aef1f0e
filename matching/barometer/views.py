"""Barometer pages: the public barometer and its open data, the adviser's dashboard and exports.

Every page reads the serving snapshot (`cache.serving_version()`, once per request): public
answers only its protected releases, the adviser's dashboard its exact data narrowed to the
adviser's scope and filters. What they show is built in `pages`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext

from portal import access
from portal.page_cache import public_page

from . import cache, exports, opendata, pages, pdf, selectors, statistics
from .forms import DashboardFilterForm, PublicFilterForm


def _public_choice(request: HttpRequest, version: int) -> tuple[PublicFilterForm, bool, dict]:
    """The round and place asked for (the latest round with figures, the region by default)."""
    rounds = pages.public_rounds(version)
    labels = pages.labels(version)
    form = PublicFilterForm(request.GET or None,
                            rounds=[(pk, label) for pk, label, _has in rounds],
                            municipalities=labels.municipalities)
    valid = form.is_valid() if form.is_bound else True
    cleaned = form.cleaned_data if form.is_bound and valid else {}
    round_id = cleaned.get("round") or pages.default_public_round(rounds)
    municipality = cleaned.get("municipality", "")
    return form, valid, {
        "round_id": round_id, "municipality": municipality,
        "municipality_name": labels.municipality_name(municipality) if municipality else "",
        "round_label": next((label for pk, label, _has in rounds if pk == round_id), ""),
    }


# Anonymous visitors get the whole page from the page cache (per URL and language, ETag and
# Last-Modified); `cache.mark_ready` bumps its group when new figures are published.
@public_page(cache.PAGE_GROUP)
def public(request: HttpRequest) -> HttpResponse:
    version = cache.serving_version()
    form, valid, choice = _public_choice(request, version)
    context = {"form": form, "query": request.GET.urlencode(),
               "figures_as_of": cache.computed_at(version), **choice}
    if choice["round_id"] is not None:
        context["body"] = mark_safe(pages.public_body(  # our own template's output
            version=version, round_id=choice["round_id"], municipality=choice["municipality"],
            round_label=choice["round_label"]))
    return render(request, "matching/barometer/public.html", context,
                  status=200 if valid else 400)


def public_pdf(request: HttpRequest) -> HttpResponse:
    """The public page as a PDF report: the same protected figures, tables and charts."""
    version = cache.serving_version()
    form, valid, choice = _public_choice(request, version)
    if not valid:
        return HttpResponse(" ".join(e for errors in form.errors.values() for e in errors),
                            status=400, content_type="text/plain; charset=utf-8")
    if choice["round_id"] is None:
        raise Http404

    def build() -> bytes:
        report = pages.public_report(version=version, round_id=choice["round_id"],
                                     municipality=choice["municipality"])
        return pdf.report_pdf(report, title=gettext("Competence barometer"),
                              place=choice["municipality_name"] or gettext("Whole region"),
                              round_label=choice["round_label"], audience="public")

    content = cache.cached("pdf", build, get_language(), choice["round_id"],
                           choice["municipality"], version=version)
    return _pdf_response(content, choice["round_label"], choice["municipality"])


def _pdf_response(content: bytes, *name_parts: str) -> HttpResponse:
    name = "-".join(["kompetansebarometer", *[slugify(p) for p in name_parts if p]])
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def data_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(pages.open_data_csv(cache.serving_version()),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kompetansebarometer.csv"'
    return response


def dataset_jsonld(request: HttpRequest) -> HttpResponse:
    releases = cache.public_releases()
    base = getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/")
    document = opendata.dcat_dataset(
        base_url=base, rounds=[r for r, _label, _rel in releases],
        municipalities=selectors.municipalities_in_region())
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                        content_type="application/ld+json; charset=utf-8")


# --- adviser ---------------------------------------------------------------------------------


def _dashboard(request: HttpRequest, version: int):
    """The filter form and, from it, the filters within the adviser's scope."""
    access.require_adviser(request.user)
    scope = access.adviser_scope(request.user)
    labels = pages.labels(version)
    region = [m for m in labels.municipalities if scope is None or m["code"] in scope]
    rounds = cache.cached("round-rows", selectors.rounds, version=version)
    form = DashboardFilterForm(
        request.GET or None, rounds=[(r["id"], statistics.round_label(r, rounds))
                                     for r in rounds],
        municipalities=region,
        areas=[(a["code"], labels.area_label(a["code"])) for a in labels.areas],
        sections=[(s["code"], f'{s["code"]} {s["label_" + (get_language() or "nb")[:2]]}')
                  for s in labels.sections])
    valid = form.is_valid() if form.is_bound else True
    cleaned = form.cleaned_data if form.is_bound and valid else {}
    filters = selectors.Filters(
        round_id=cleaned.get("round"), municipality=cleaned.get("municipality", ""),
        area=cleaned.get("area", ""), section=cleaned.get("section", ""),
        municipalities=scope)
    return form, valid, filters


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    version = cache.serving_version()
    form, valid, filters = _dashboard(request, version)
    query = request.GET.urlencode()
    page = pages.dashboard_page(filters, version=version, query=query)
    return render(request, "matching/barometer/dashboard.html", {
        "form": form, "query": query, "round_label": page["round_label"],
        "figures_as_of": cache.computed_at(version),
        "body": mark_safe(page["body"]),  # our own template's output
    }, status=200 if valid else 400)


@login_required
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    """The dashboard (exact figures, the adviser's scope and filters) as a PDF report."""
    version = cache.serving_version()
    form, valid, filters = _dashboard(request, version)
    if not valid:
        return HttpResponse(" ".join(e for errors in form.errors.values() for e in errors),
                            status=400, content_type="text/plain; charset=utf-8")
    board = pages.dashboard(filters, version=version)
    if board.round is None:
        raise Http404
    label = statistics.round_label(board.round, board.rounds)
    place = (board.labels.municipality_name(filters.municipality) if filters.municipality
             else ", ".join(m["name"] for m in board.labels.municipalities)
             if filters.municipalities is not None else gettext("Whole region"))

    def build() -> bytes:
        return pdf.report_pdf(board.report, title=gettext("Competence barometer"),
                              place=place, round_label=label, audience="adviser")

    content = cache.cached("dashboard-pdf", build, *pages.dashboard_key(filters),
                           version=version)
    return _pdf_response(content, label, filters.municipality)


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    version = cache.serving_version()
    _form, _valid, filters = _dashboard(request, version)
    return exports.report_xlsx(pages.dashboard(filters, version=version).report,
                               "kompetansebarometer.xlsx")


@login_required
def dashboard_csv(request: HttpRequest, table_id: str) -> HttpResponse:
    version = cache.serving_version()
    _form, _valid, filters = _dashboard(request, version)
    table = next((t for t in pages.dashboard(filters, version=version).report.tables
                  if t.id == table_id), None)
    if table is None:
        raise Http404
    return exports.table_csv(table, f"kompetansebarometer-{table_id}.csv")
