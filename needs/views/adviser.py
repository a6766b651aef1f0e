"""The adviser's pages: all needs (filters, export), survey rounds, and the import."""

from __future__ import annotations

from dataclasses import astuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from portal.celery import enqueue_on_commit
from portal.filter_forms import FilterState, filter_state, reference_names, reference_version
from portal.jobs import job_create
from portal.uploads import spreadsheet_upload_preview_state

from .. import exporting, importing, selectors, services
from ..forms import AdviserFilterForm, ImportUploadForm, RoundForm
from ..models import NeedImport
from ..tasks import need_import_task

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest, *,
             version: float | None = None) -> tuple[FilterState, selectors.NeedFilters]:
    # Validated and rendered once per language and set of values (areas, places, rounds).
    state = filter_state(AdviserFilterForm, request.GET, version=version)
    filters = selectors.NeedFilters()
    if state.cleaned:
        data = state.cleaned
        filters = selectors.NeedFilters(
            round_id=data["round"].pk if data.get("round") else None,
            municipality_id=data["municipality"].pk if data.get("municipality") else None,
            area_id=data["area"].pk if data.get("area") else None,
            status=data.get("status") or "", priority=data.get("priority") or "",
            q=(data.get("q") or "").strip(),
        )
    return state, filters


@login_required
def adviser_list(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    version = reference_version()  # read once for the filters and the rows' names
    filter_form, filters = _filters(request, version=version)
    needs = selectors.needs_for_adviser(user=request.user, filters=filters).select_related(None)
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    # What a row shows (`need_rows.adviser_need_rows`), as values, not five models a row.
    # The page's SQL depends on nothing else: compiled once per process.
    query = page.object_list.query
    key = (access.adviser_scope(request.user), astuple(filters), query.low_mark,
           query.high_mark, version)
    page.object_list = selectors.need_list_rows(page.object_list, key=key,
                                                names=reference_names(version=version))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "needs/adviser_list.html", {
        "form": filter_form.form, "filter_fields": filter_form.html, "page": page,
        "query": query.urlencode(),
    })


@login_required
def adviser_export(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    _form, filters = _filters(request)
    needs = selectors.needs_for_adviser(user=request.user, filters=filters).iterator(
        chunk_size=2000)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("fmt") == "xlsx":
        response = HttpResponse(
            exporting.export_xlsx(needs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="needs-{stamp}.xlsx"'
        return response
    response = HttpResponse(exporting.export_csv(needs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="needs-{stamp}.csv"'
    return response


# --- survey rounds -----------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    return render(request, "needs/round_list.html", {"rounds": selectors.rounds_all(),
                                                     "current": selectors.round_current()})


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_round_create(
                name=data["name"], opens_on=data["opens_on"], closes_on=data["closes_on"],
                intro=data["intro"], year=data.get("year"), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The survey round has been created."))
            return redirect("needs:round_list")
    return render(request, "needs/round_form.html", {"form": form})


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.round_for_adviser(user=request.user, pk=pk)
    form = RoundForm(request.POST or None, instance=survey_round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_round_update(
                round_id=survey_round.pk, name=data["name"], opens_on=data["opens_on"],
                closes_on=data["closes_on"], intro=data["intro"], year=data.get("year"))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The survey round has been saved."))
            return redirect("needs:round_list")
    return render(request, "needs/round_form.html", {"form": form, "round": survey_round})


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.round_for_adviser(user=request.user, pk=pk)
    services.survey_round_open(round_id=survey_round.pk)
    messages.success(request, _("The survey round is open."))
    return redirect("needs:round_list")


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.round_for_adviser(user=request.user, pk=pk)
    services.survey_round_close(round_id=survey_round.pk)
    messages.success(request, _("The survey round is closed."))
    return redirect("needs:round_list")


# --- import ------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None,
                            initial={"round": selectors.round_current()})
    if request.method == "POST" and form.is_valid():
        upload, survey_round = form.cleaned_data["file"], form.cleaned_data["round"]
        # Checked in the background (a Celery task); the preview page shows its progress.
        need_import = importing.need_import_upload(
            data=upload.read(), filename=upload.name, round=survey_round, by=request.user,
            language=get_language())
        return redirect("needs:import_preview", pk=need_import.pk)
    return render(request, "needs/import_upload.html", {
        "form": form, "imports": selectors.need_imports_for_adviser(user=request.user)[:10],
        "columns": importing.COLUMNS,
    }, status=400 if form.errors else 200)


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    access.require_adviser(request.user)
    if fmt == "csv":
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(importing.template_xlsx(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="behov-mal.{fmt}"'
    return response


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    need_import = selectors.need_import_for_adviser(user=request.user, pk=pk)
    # While the file is checked the page shows the progress and looks again by itself
    # (htmx; a refresh without JavaScript); then the stored preview.
    return render(request, "needs/import_preview.html", {
        "need_import": need_import, **spreadsheet_upload_preview_state(need_import)})


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    need_import = selectors.need_import_for_adviser(user=request.user, pk=pk)
    if need_import.status == NeedImport.Status.IMPORTED:
        messages.info(request, _("This file has already been imported."))
        return redirect("needs:import_preview", pk=need_import.pk)
    # The import runs as a Celery task; its page shows the rows checked, then the result.
    # Without a broker it runs in-process and the page shows the result at once.
    job = job_create(kind="need_import", by=request.user)
    enqueue_on_commit(need_import_task, need_import_id=need_import.pk, user_id=request.user.pk,
                      job_id=job.pk)
    return redirect("portal:job", pk=job.pk)
