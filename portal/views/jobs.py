"""Progress of long work: a page with a progress bar that updates itself (htmx polls the
fragment; without JavaScript the page reloads itself), and a JSON status endpoint."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from portal.access import job_for_user
from portal.jobs import job_status
from portal.models import Job

# Where "Back" leads when a job of this kind is done.
BACK = {"rematch": "matching:settings", "offer_import": "offers:provider_home",
        "need_import": "needs:adviser_list", "offer_preview": "offers:import_preview",
        "need_preview": "needs:import_upload"}
POLL_SECONDS = 2


def _context(job: Job) -> dict:
    try:
        back = reverse(BACK[job.kind]) if job.kind in BACK else ""
    except NoReverseMatch:
        back = ""
    return {"job": job, "finished": job.status in (Job.Status.DONE, Job.Status.FAILED),
            "back": back, "poll_seconds": POLL_SECONDS}


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(user=request.user, pk=pk)
    return render(request, "portal/jobs/page.html", _context(job))


@login_required
def job_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(user=request.user, pk=pk)
    return render(request, "portal/jobs/_progress.html", _context(job))


@login_required
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(job_status(job_for_user(user=request.user, pk=pk)))
