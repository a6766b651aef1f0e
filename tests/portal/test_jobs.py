"""Progress of long work: the status endpoint's states, the page that polls it, and a full
re-match through Celery (in-process without a broker) that ends with its summary."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.jobs import job_advance, job_create, job_fail, job_finish, job_start
from portal.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


def _status(client, job):
    response = client.get(reverse("portal:job_status", args=[job.pk]))
    assert response.status_code == 200
    return response.json()


def test_status_endpoint_reports_each_state(adviser_client, adviser_user):
    job = job_create(kind="offer_import", by=adviser_user)
    assert _status(adviser_client, job) == {"id": job.pk, "kind": "offer_import",
                                            "status": "queued", "total": 0, "done": 0,
                                            "percent": 0}
    job_start(job_id=job.pk, total=200)
    job_advance(job_id=job.pk, steps=50)
    job_advance(job_id=job.pk, steps=30)
    running = _status(adviser_client, job)
    assert (running["status"], running["done"], running["total"], running["percent"]) == (
        "running", 80, 200, 40)
    job_finish(job_id=job.pk, summary={"created": 150, "updated": 50})
    done = _status(adviser_client, job)
    assert done["status"] == "done" and done["summary"] == {"created": 150, "updated": 50}
    assert done["done"] == 200 and done["percent"] == 100
    other = job_create(kind="offer_import", by=adviser_user)
    job_fail(job_id=other.pk, message="Row 3: unknown area code")
    failed = _status(adviser_client, other)
    assert failed["status"] == "failed" and failed["message"] == "Row 3: unknown area code"


def test_progress_never_passes_the_total():
    job = job_create(kind="rematch")
    job_start(job_id=job.pk, total=10)
    job_advance(job_id=job.pk, steps=8)
    job_advance(job_id=job.pk, steps=8)  # a retried chunk
    assert Job.objects.get(pk=job.pk).done == 10


def test_page_polls_while_running_and_stops_when_done(adviser_client, adviser_user):
    job = job_create(kind="rematch", by=adviser_user)
    job_start(job_id=job.pk, total=4)
    html = adviser_client.get(reverse("portal:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'http-equiv="refresh"' in html
    assert "0 av 4 behov matchet" in html
    job_finish(job_id=job.pk, summary={"needs": 4, "matches": 9, "cohorts": {"cohorts": 1}})
    fragment = adviser_client.get(reverse("portal:job_fragment", args=[job.pk])).content
    assert b"hx-trigger" not in fragment and b'id="job-summary"' in fragment
    page = adviser_client.get(reverse("portal:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page


def test_someone_elses_job_is_a_404(business_user):
    job = job_create(kind="offer_import", by=factories.UserFactory())
    client = Client()
    client.force_login(business_user)
    assert client.get(reverse("portal:job_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("portal:job", args=[job.pk])).status_code == 404


def test_rematch_now_runs_and_shows_the_summary_without_a_broker(adviser_client):
    offer = factories.OfferFactory()
    for _ in range(3):
        factories.NeedFactory(status="submitted", area=offer.areas.first())
    response = adviser_client.post(reverse("matching:rematch_now"))
    job = Job.objects.get(kind="rematch")
    assert response.status_code == 302 and response.url == reverse("portal:job", args=[job.pk])
    assert job.status == Job.Status.DONE and job.total == 3 and job.done == 3
    assert job.summary["needs"] == 3
    page = adviser_client.get(response.url).content.decode()
    assert 'id="job-summary"' in page
    settings_page = adviser_client.get(reverse("matching:settings")).content.decode()
    assert 'id="last-run"' in settings_page and reverse("portal:job", args=[job.pk]) in \
        settings_page
