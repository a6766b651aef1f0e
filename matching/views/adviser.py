"""The adviser's work queue, gap report and matching settings (the match page: `match`;
cohorts: `cohorts`)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal import access
from portal.celery import enqueue
from portal.filter_forms import (
    filter_state,
    reference_names,
    reference_version,
    unbound_fields_html,
)
from portal.jobs import job_create, job_fail, job_last

from .. import learning, selectors, services
from ..engine import bands
from ..forms import WEIGHT_FIELDS, MatchBulkForm, MatchFilterForm, MatchingSettingsForm
from ..models import Match, MatchingSettings
from ..tasks import rematch_all
from ._common import csv_safe
from .weights import weights_context

PAGE_SIZE = 25
QUEUE_COUNT_CAP = 1000  # forty pages; beyond that a filtered queue says "more than"


@login_required
def adviser_home(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    # Validated and rendered once per language and set of values (a hundred areas); the
    # reference data's version read once for the filters and the rows' names.
    version = reference_version()
    filter_form = filter_state(MatchFilterForm, request.GET, version=version)
    filters = filter_form.cleaned

    def queue():
        # Built only to compile its SQL, once per process and key (`selectors.queue_rows`).
        return selectors.match_queue(
            status=filters.get("status", ""), area=filters.get("area", ""),
            municipality=filters.get("municipality", ""), min_score=filters.get("min_score"),
            user=request.user)

    # Everything the queue's SQL depends on (the version: an area filter's ids come from the
    # reference data).
    key = (access.adviser_scope(request.user), tuple(sorted(filters.items())), version)
    counts, queue_size = selectors.match_queue_counts(user=request.user)
    paginator = Paginator(selectors.QueuePages(queue, key=key,
                                               names=reference_names(version=version)),
                          PAGE_SIZE)
    given = {name for name, value in filters.items() if value not in ("", None)}
    more_than = 0
    if not given:
        # Known without counting again (the adviser's scope is part of the counts' key).
        paginator.count = queue_size
    elif given == {"status"}:
        paginator.count = counts.get(filters["status"], 0)
    else:
        paginator.count, more_than = _count_up_to_page(queue, key, request.GET.get("page"))
    # What a row shows (`match_rows.match_queue_rows`), as values, not seven models a row.
    page = paginator.get_page(request.GET.get("page"))
    status_counts = [(value, label, counts[value]) for value, label in Match.Status.choices]
    return render(request, "matching/adviser_home.html", {
        "form": filter_form.form, "filter_fields": filter_form.html, "page_obj": page,
        "status_counts": status_counts, "more_than": more_than,
        "pages_more_than": more_than // PAGE_SIZE,
        "bulk_fields": unbound_fields_html(MatchBulkForm, "action", "note"),
        "back": request.get_full_path(),
    })


def _count_up_to_page(queue, key, page: str | None) -> tuple[int, int]:
    """Count a filtered queue only as far as `QUEUE_COUNT_CAP` (or the page asked for):
    counting the 97 000 matches above a score took longer than the rest of the page, and
    "more than 1 000" is all an adviser can use of it. Returns the count for the paginator
    (one more than the floor when there are more, so the next page stays reachable) and that
    floor (0: the count is exact)."""
    number = int(page) if page and page.isdigit() and len(page) < 7 else 1
    floor = max(QUEUE_COUNT_CAP, number * PAGE_SIZE)
    counted = selectors.queue_count_up_to(queue, key=key, limit=floor + 1)
    return counted, floor if counted > floor else 0


@login_required
@require_POST
def match_bulk(request: HttpRequest) -> HttpResponse:
    """Approve or dismiss the ticked matches; each gets its own history line."""
    access.require_adviser(request.user)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("matching:adviser_home")
    form = MatchBulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    changed, skipped = services.match_bulk_action(
        match_ids=selectors.match_ids_for_adviser(user=request.user,
                                                  ids=form.cleaned_data["match_ids"]),
        action=form.cleaned_data["action"], by=request.user,
        note=form.cleaned_data["note"])
    messages.success(request, gettext("%(count)d match(es) updated.") % {"count": len(changed)})
    if skipped:
        messages.warning(request, gettext(
            "%(count)d match(es) were left as they were: their status does not allow it.")
            % {"count": len(skipped)})
    return redirect(back)


@login_required
def gap_report(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    rows = selectors.gaps_by_area_municipality(user=request.user)
    totals = {key: sum(r[key] for r in rows) for key in ("needs", "participants")}
    return render(request, "matching/gap_report.html", {
        "rows": rows, "totals": totals, "threshold": bands.POSSIBLE,
    })


@login_required
def gap_report_csv(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gaps.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["area_code", "area", "municipality_code", "municipality", "needs",
                     "businesses", "participants"])
    for row in selectors.gaps_by_area_municipality(user=request.user):
        writer.writerow([csv_safe(row["area_code"]), csv_safe(row["area_label"]),
                         csv_safe(row["municipality_code"]), csv_safe(row["municipality_name"]),
                         row["needs"], row["businesses"], row["participants"]])
    return response


@login_required
def matching_settings(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    current = MatchingSettings.current()
    form = MatchingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with transaction.atomic():
            learning.weights_apply(weights={n: data.pop(n) for n in WEIGHT_FIELDS},
                                   by=request.user)
            services.matching_settings_update(data=data)
        messages.success(request, gettext("The settings were saved."))
        return redirect("matching:settings")
    return render(request, "matching/settings.html", {
        "form": form, "weight_fields": WEIGHT_FIELDS, **weights_context(),
        "last_run": job_last("rematch"),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def rematch_now(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    job = job_create(kind="rematch", by=request.user)
    if enqueue(rematch_all, job_id=job.pk):
        # Without a broker the run happened in-process: the page shows the finished result.
        return redirect("portal:job", pk=job.pk)
    job_fail(job_id=job.pk, message=gettext("The task queue could not be reached."))
    messages.error(request, gettext(
        "The task queue cannot be reached just now, so no re-match was queued. "
        "Try again later; the nightly run is not affected."))
    return redirect("matching:settings")
