"""Barometer pages: the public barometer and its open data, the adviser's dashboard and exports.

Public answers read only the cached, protected release (`cache.public_releases`); the adviser's
dashboard is computed per request from exact figures within the adviser's scope.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import access

from . import cache, exports, opendata, selectors, statistics
from .forms import DashboardFilterForm, PublicFilterForm
from .release import Release
from .report import Labels, build_report


def _labels() -> Labels:
    _division, sections = selectors.industry_sections()
    return Labels(municipalities=selectors.municipalities_in_region(),
                  areas=selectors.top_areas(), sections=sections)


def _has_needs(release: Release) -> bool:
    return not release.families["needs"].empty


def _public_rounds() -> list[tuple[int, str, bool]]:
    """(round id, label, has figures) of every round, oldest first."""
    return [(r["id"], label, _has_needs(rel)) for r, label, rel in cache.public_releases()]


def public(request: HttpRequest) -> HttpResponse:
    language = get_language()
    rounds = cache.cached("rounds", _public_rounds)
    labels = cache.cached("labels", _labels, language)
    form = PublicFilterForm(request.GET or None,
                            rounds=[(pk, label) for pk, label, _has in rounds],
                            municipalities=labels.municipalities)
    valid = form.is_valid() if form.is_bound else True
    cleaned = form.cleaned_data if form.is_bound and valid else {}
    round_id = cleaned.get("round")
    if round_id is None:
        with_data = [pk for pk, _label, has in rounds if has]
        round_id = with_data[-1] if with_data else (rounds[-1][0] if rounds else None)
    municipality = cleaned.get("municipality", "")
    context = {"form": form, "municipality": municipality,
               "municipality_name": labels.municipality_name(municipality)
               if municipality else ""}
    if round_id is not None:
        context["round_label"] = next(label for pk, label, _has in rounds if pk == round_id)

        def body() -> str:
            # The figures, charts and tables hold nothing per visitor (no CSRF token, no
            # user): rendered once per version, language, round and municipality.
            history = statistics.history_until(cache.public_releases(), round_id)
            report = build_report(history=history, labels=labels, municipality=municipality)
            return render_to_string("matching/barometer/_public_body.html",
                                    {**context, "report": report})

        context["body"] = mark_safe(cache.cached(  # our own template's output
            "body", body, language, round_id, municipality))
    return render(request, "matching/barometer/public.html", context,
                  status=200 if valid else 400)


def data_csv(request: HttpRequest) -> HttpResponse:
    rows = cache.cached("csv", lambda: opendata.to_csv(opendata.tidy_rows(
        cache.public_releases())))
    response = HttpResponse(rows, content_type="text/csv; charset=utf-8")
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


def _dashboard(request: HttpRequest):
    """The filter form and, from it, the filters within the adviser's scope and a cache key."""
    access.require_adviser(request.user)
    scope = access.adviser_scope(request.user)
    labels = cache.cached("labels", _labels, get_language())
    region = [m for m in labels.municipalities if scope is None or m["code"] in scope]
    rounds = cache.cached("round-rows", selectors.rounds)
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
    key = (get_language(), sorted(scope) if scope is not None else "all", filters.round_id,
           filters.municipality, filters.area, filters.section)
    return form, valid, filters, key


def _board(filters: selectors.Filters, key: tuple) -> statistics.Dashboard:
    # Exact figures, cached under the same version as the public release (a new version on
    # every change to a need, answer, match or score), per scope, filters and language.
    return cache.cached("dashboard", lambda: statistics.adviser_dashboard(filters), *key)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, valid, filters, key = _dashboard(request)
    query = request.GET.urlencode()

    def page() -> dict:
        # Nothing per visitor in the figures and tables: rendered once per version and key.
        board = _board(filters, key)
        label = statistics.round_label(board.round, board.rounds) if board.round else ""
        body = render_to_string("matching/barometer/_dashboard_body.html", {
            "report": board.report, "round_label": label, "query": query,
        }) if board.round else ""
        return {"round_label": label, "body": body}

    cached = cache.cached("dashboard-page", page, *key, query)
    return render(request, "matching/barometer/dashboard.html", {
        "form": form, "query": query, "round_label": cached["round_label"],
        "body": mark_safe(cached["body"]),  # our own template's output
    }, status=200 if valid else 400)


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    _form, _valid, filters, key = _dashboard(request)
    return exports.report_xlsx(_board(filters, key).report, "kompetansebarometer.xlsx")


@login_required
def dashboard_csv(request: HttpRequest, table_id: str) -> HttpResponse:
    _form, _valid, filters, key = _dashboard(request)
    table = next((t for t in _board(filters, key).report.tables if t.id == table_id), None)
    if table is None:
        raise Http404
    return exports.table_csv(table, f"kompetansebarometer-{table_id}.csv")
