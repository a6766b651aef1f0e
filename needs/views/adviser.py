"""The adviser's pages: all needs (filters, export), survey rounds, and the import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access

from .. import exporting, importing, selectors, services
from ..forms import AdviserFilterForm, ImportUploadForm, RoundForm
from ..models import NeedImport, SurveyRound

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[AdviserFilterForm, selectors.NeedFilters]:
    form = AdviserFilterForm(request.GET or None)
    filters = selectors.NeedFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.NeedFilters(
            round_id=data["round"].pk if data.get("round") else None,
            municipality_id=data["municipality"].pk if data.get("municipality") else None,
            area_id=data["area"].pk if data.get("area") else None,
            status=data.get("status") or "", priority=data.get("priority") or "",
            q=(data.get("q") or "").strip(),
        )
    return form, filters


@login_required
def adviser_list(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    form, filters = _filters(request)
    page = Paginator(selectors.needs_for_adviser(filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "needs/adviser_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


@login_required
def adviser_export(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    _form, filters = _filters(request)
    needs = selectors.needs_for_adviser(filters).iterator(chunk_size=2000)
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
    access.require_adviser(request.user)
    survey_round = get_object_or_404(SurveyRound, pk=pk)
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
    access.require_adviser(request.user)
    survey_round = get_object_or_404(SurveyRound, pk=pk)
    services.survey_round_open(round_id=survey_round.pk, by=request.user)
    messages.success(request, _("The survey round is open."))
    return redirect("needs:round_list")


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_adviser(request.user)
    survey_round = get_object_or_404(SurveyRound, pk=pk)
    services.survey_round_close(round_id=survey_round.pk, by=request.user)
    messages.success(request, _("The survey round is closed."))
    return redirect("needs:round_list")


# --- import ------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None,
                            initial={"round": selectors.round_current()})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = importing.parse_needs_file(data, upload.name, round=form.cleaned_data["round"])
        upload.seek(0)
        need_import = NeedImport.objects.create(
            file=upload, filename=upload.name[:255], round=form.cleaned_data["round"],
            uploaded_by=request.user, summary=result.summary())
        return redirect("needs:import_preview", pk=need_import.pk)
    return render(request, "needs/import_upload.html", {
        "form": form, "imports": NeedImport.objects.select_related("round")[:10],
        "columns": importing.COLUMNS,
    }, status=400 if form.errors else 200)


def _parse_stored(need_import: NeedImport) -> tuple[bytes, importing.ParseResult]:
    with need_import.file.open("rb") as handle:
        data = handle.read()
    return data, importing.parse_needs_file(data, need_import.filename, round=need_import.round)


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    need_import = selectors.need_import_for_adviser(request.user, pk)
    # Parsed again rather than trusted from the first look: the database may have changed.
    _data, result = _parse_stored(need_import)
    return render(request, "needs/import_preview.html", {
        "need_import": need_import, "result": result, "counts": result.counts(),
        "preview_rows": result.rows[:200],
    })


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    need_import = selectors.need_import_for_adviser(request.user, pk)
    if need_import.status == NeedImport.Status.IMPORTED:
        messages.info(request, _("This file has already been imported."))
        return redirect("needs:import_preview", pk=need_import.pk)
    with need_import.file.open("rb") as handle:
        data = handle.read()
    try:
        result = importing.import_needs(data, need_import.filename, round=need_import.round,
                                        by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("needs:import_preview", pk=need_import.pk)
    need_import.status = NeedImport.Status.IMPORTED
    need_import.imported_at = timezone.now()
    need_import.summary = result.summary()
    need_import.save(update_fields=["status", "imported_at", "summary"])
    counts = result.counts()
    messages.success(request, _(
        "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
    ) % counts)
    return redirect("needs:adviser_list")
