"""The adviser's pages: work queue, match detail, cohorts, gaps, settings."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal import access
from portal.celery import enqueue
from portal.filter_forms import (
    filter_state,
    prefilled_fields_html,
    reference_memo,
    reference_names,
    reference_version,
    unbound_fields_html,
)
from portal.jobs import job_create, job_fail, job_last
from portal.page_cache import group_version

from .. import learning, match_page, selectors, services
from ..engine import bands
from ..engine.explain import explanation_parts
from ..forms import (
    WEIGHT_FIELDS,
    CohortFilterForm,
    CohortSendForm,
    CohortStatusForm,
    MatchActionForm,
    MatchBulkForm,
    MatchFilterForm,
    MatchingSettingsForm,
    MatchNoteForm,
    cohort_send_fields_html,
)
from ..models import Match, MatchingSettings
from ..tasks import rematch_all
from ._common import csv_safe, explain, offer_url, status_label, with_level_label
from .weights import weights_context

PAGE_SIZE = 25
QUEUE_COUNT_CAP = 1000  # forty pages; beyond that a filtered queue says "more than"
# The area's label and the place's name come from the kept reference data
# (`match_rows.cohort_list_rows`): no join in the page's query or its count.
COHORT_ROW_FIELDS = (
    "online", "window_start", "window_end", "participants", "threshold", "business_count",
    "is_opportunity", "is_current", "status", "area_id", "anchor_municipality_id",
)
# What the cohort page shows of its needs and of the offers that fit.
# The area's label and the place's name come from the kept reference data
# (`cohort_parts.cohort_member_rows`), not two more joins.
COHORT_MEMBER_FIELDS = (
    "title", "participants", "area_id", "organisation__name",
    "organisation__municipality_id", "response__consent",
)
FITTING_OFFER_FIELDS = ("title", "on_demand", "min_participants", "provider__name")
COMPONENTS = ["topic", "level", "format", "geography", "timing", "cost", "capacity"]


def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else gettext("That did not work.")


@login_required
def adviser_home(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    # Validated and rendered once per language and set of values (a hundred areas); the
    # reference data's version read once for the filters and the rows' names.
    version = reference_version()
    filter_form = filter_state(MatchFilterForm, request.GET, version=version)
    filters = filter_form.cleaned
    queue = selectors.match_queue(
        status=filters.get("status", ""), area=filters.get("area", ""),
        municipality=filters.get("municipality", ""), min_score=filters.get("min_score"),
        user=request.user,
    ).select_related(None)
    counts, queue_size = selectors.match_queue_counts(user=request.user)
    paginator = Paginator(queue, PAGE_SIZE)
    given = {name for name, value in filters.items() if value not in ("", None)}
    more_than = 0
    if not given:
        # Known without counting again (the adviser's scope is part of the counts' key).
        paginator.count = queue_size
    elif given == {"status"}:
        paginator.count = counts.get(filters["status"], 0)
    else:
        paginator.count, more_than = _count_up_to_page(queue, request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    # What a row shows (`match_rows.match_queue_rows`), as values, not seven models a row.
    # The page's SQL depends on nothing else (the version: an area filter's ids come from the
    # reference data): compiled once per process.
    query = page.object_list.query
    key = (access.adviser_scope(request.user), tuple(sorted(filters.items())),
           query.low_mark, query.high_mark, version)
    page.object_list = selectors.queue_rows(page.object_list, key=key,
                                            names=reference_names(version=version))
    status_counts = [(value, label, counts[value]) for value, label in Match.Status.choices]
    return render(request, "matching/adviser_home.html", {
        "form": filter_form.form, "filter_fields": filter_form.html, "page_obj": page,
        "status_counts": status_counts, "more_than": more_than,
        "pages_more_than": more_than // PAGE_SIZE,
        "bulk_fields": unbound_fields_html(MatchBulkForm, "action", "note"),
        "back": request.get_full_path(),
    })


def _count_up_to_page(queue, page: str | None) -> tuple[int, int]:
    """Count a filtered queue only as far as `QUEUE_COUNT_CAP` (or the page asked for):
    counting the 97 000 matches above a score took longer than the rest of the page, and
    "more than 1 000" is all an adviser can use of it. Returns the count for the paginator
    (one more than the floor when there are more, so the next page stays reachable) and that
    floor (0: the count is exact)."""
    number = int(page) if page and page.isdigit() and len(page) < 7 else 1
    floor = max(QUEUE_COUNT_CAP, number * PAGE_SIZE)
    counted = selectors.match_queue_count_up_to(queue, floor + 1)
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


def _component_labels() -> dict[str, str]:
    return {"topic": gettext("Topic"), "level": gettext("Level"), "format": gettext("Format"),
            "geography": gettext("Distance"), "timing": gettext("Timing"),
            "cost": gettext("Cost"), "capacity": gettext("Capacity")}


def _action_labels() -> dict[str, str]:
    return {"approve": gettext("Approve"), "propose": gettext("Propose to the business"),
            "enroll": gettext("Mark as enrolled"), "dismiss": gettext("Dismiss"),
            "reopen": gettext("Back to suggested"), "accept": gettext("Accepted by the business")}


def _components(match: Match, settings_row: MatchingSettings) -> list[dict]:
    weights = {name: getattr(settings_row, f"weight_{name}", 0.0) for name in COMPONENTS}
    total = sum(weights.values()) or 1.0
    names = COMPONENTS + sorted(set(match.components or {}) - set(COMPONENTS))
    labels = _component_labels()
    rows = []
    for name in names:
        value = float((match.components or {}).get(name, 0.0) or 0.0)
        weight = weights.get(name, 0.0)
        rows.append({"name": name, "label": labels.get(name, name), "value": round(value * 100),
                     "weight": weight, "points": round(value * weight / total * 100, 1)})
    return rows


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = match_page.match_page_for_adviser(user=request.user, pk=pk)
    return _render_match(request, match)


def _render_match(request, match, *, action_form=None, note_form=None, status=200):
    # The weights, kept per process with the reference data (whose version a saved
    # MatchingSettings bumps, `matching.apps`): read only, never saved from here.
    version = reference_version()
    settings_row = reference_memo(("matching-settings",), MatchingSettings.current,
                                  version=version)
    events = match_page.match_history(match.pk)
    for event in events:
        event["from_label"] = status_label(event["from_status"]) if event["from_status"] else "–"
        event["to_label"] = status_label(event["to_status"])
    actions, labels = services.available_actions(match), _action_labels()
    parts = explanation_parts(match.reasons or [])
    need, names = match.need, reference_names(version=version)
    area_label = names.areas.get(need.area_id, "")
    return render(request, "matching/match_detail.html", {
        "match": match,
        "need_area_label": area_label,
        "need_name": need.title or f"{area_label} ({need.participants})",  # as `str(need)`
        "business_place": names.municipalities.get(need.organisation.municipality_id, ""),
        "offer_place": names.municipalities.get(match.offer.municipality_id, ""),
        "offer_url": offer_url(match.offer_id),
        # The one-line explanation shows only when the reasons do not split into the two lists.
        "explanation": "" if parts["fits"] or parts["misfits"] else explain(match),
        "explanation_parts": parts,
        "band": bands.band_for(match.score), "band_label": bands.band_label(match.score),
        "bands": bands,
        "components": _components(match, settings_row),
        "events": events,
        "actions": actions,
        "action_buttons": [(action, labels.get(action, "")) for action in actions],
        "can_decline": match.can_move_to(Match.Status.DECLINED),
        "interest": selectors.match_interest(match),
        "action_form": action_form or MatchActionForm(),
        # Unbound, the comment box and the list of reasons are the same on every match.
        "action_fields": prefilled_fields_html(action_form, "note", "reason") if action_form
        else unbound_fields_html(MatchActionForm, "note", "reason"),
        "note_fields": prefilled_fields_html(note_form or MatchNoteForm(instance=match),
                                             "adviser_note"),
    }, status=status)


@login_required
@require_POST
def match_transition(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for_adviser(user=request.user, pk=pk)
    form = MatchActionForm(request.POST)
    if not form.is_valid():
        return _render_match(request, match, action_form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        if action == "decline":  # recorded by the adviser on the business's behalf
            services.match_decline(match_id=match.pk, reason=form.cleaned_data["reason"],
                                   note=form.cleaned_data["note"], by=request.user)
        else:
            _to, service = services.ADVISER_ACTIONS[action]
            service(match_id=match.pk, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, gettext("The match was updated."))
    return redirect("matching:match_detail", pk=match.pk)


@login_required
@require_POST
def match_note(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for_adviser(user=request.user, pk=pk)
    form = MatchNoteForm(request.POST, instance=match)
    if not form.is_valid():
        return _render_match(request, match, note_form=form, status=400)
    services.match_set_note(match_id=match.pk, note=form.cleaned_data["adviser_note"])
    messages.success(request, gettext("The note was saved."))
    return redirect("matching:match_detail", pk=match.pk)


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    # Validated and rendered once per language and set of values, as the queue's filters.
    filter_form = filter_state(CohortFilterForm, request.GET)
    filters = filter_form.cleaned
    cohorts = selectors.cohort_list(
        status=filters.get("status", ""), area=filters.get("area", ""),
        opportunities_only=bool(filters.get("opportunities")),
        include_retired=bool(filters.get("retired")), user=request.user,
    ).values("pk", *COHORT_ROW_FIELDS)
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/cohort_list.html", {
        "form": filter_form.form, "filter_fields": filter_form.html, "page_obj": page})


def _render_cohort(request, cohort, *, status_form=None, send_form=None, status=200):
    with_level_label(cohort)
    # The offers that fit and the providers' checkboxes depend on the catalogue's data only:
    # kept per process under its version (one read for both).
    catalogue = group_version("offers")
    # Plain rows: often sixty offers, and only their names are shown.
    fitting = selectors.cohort_fitting_offer_rows(
        cohort, ("pk", "provider_id", *FITTING_OFFER_FIELDS), version=catalogue)
    fitting_providers = {offer["provider_id"] for offer in fitting}
    ticked = tuple(sorted(fitting_providers))
    status_form = status_form or CohortStatusForm(instance=cohort)
    members = list(selectors.cohort_members(cohort, user=request.user).values(
        "pk", "response_id", "organisation_id", *COHORT_MEMBER_FIELDS))
    # An adviser who sees every member has read all the counts need: no second query.
    summary = (selectors.cohort_counts_from_members(cohort, members)
               if access.adviser_scope(request.user) is None
               else selectors.cohort_provider_summary(cohort))
    return render(request, "matching/cohort_detail.html", {
        "cohort": cohort,
        "summary": summary,
        "members": members,
        "offers": fitting,
        "requests": list(cohort.requests.order_by("provider__name").values(
            "pk", "status", "response", "provider__name")),
        "status_form": status_form,
        # Unbound, the status and note are written once per set of values.
        "status_fields": prefilled_fields_html(status_form, "status", "adviser_note"),
        "send_form": send_form or SimpleLazyObject(
            lambda: CohortSendForm(initial={"providers": list(ticked)})),
        "send_fields": cohort_send_fields_html(send_form, ticked=ticked, version=catalogue),
        "fitting_providers": fitting_providers,
    }, status=status)


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_adviser(user=request.user, pk=pk)
    if request.method == "POST":
        form = CohortStatusForm(request.POST, instance=cohort)
        if not form.is_valid():
            return _render_cohort(request, cohort, status_form=form, status=400)
        services.cohort_update(cohort_id=cohort.pk, status=form.cleaned_data["status"],
                               note=form.cleaned_data["adviser_note"])
        messages.success(request, gettext("The cohort was updated."))
        return redirect("matching:cohort_detail", pk=cohort.pk)
    return _render_cohort(request, cohort)


@login_required
@require_POST
def cohort_send(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_adviser(user=request.user, pk=pk)
    form = CohortSendForm(request.POST)
    if not form.is_valid():
        return _render_cohort(request, cohort, send_form=form, status=400)
    created = services.cohort_send_to_providers(
        cohort_id=cohort.pk, provider_ids=[p.pk for p in form.cleaned_data["providers"]],
        message=form.cleaned_data["message"], by=request.user,
    )
    messages.success(request, gettext("Sent to %(count)d provider(s).") % {"count": len(created)})
    return redirect("matching:cohort_detail", pk=cohort.pk)


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
