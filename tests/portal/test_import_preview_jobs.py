"""Checking an uploaded spreadsheet is long work too: for both imports (needs and offers, one
pipeline in `portal.spreadsheets`) the upload queues a Celery task on commit and the preview page
shows its progress — polling itself with htmx, refreshing without JavaScript — then the
preview, or the reason the file could not be used. Tests run Celery eagerly: the task runs when
the upload's transaction commits (`django_capture_on_commit_callbacks`)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from needs.models import NeedImport
from offers.models import Offer
from portal.jobs import job_advance, job_start
from portal.models import Job, SpreadsheetUpload
from tests.needs.test_import import GOOD
from tests.needs.test_import import row as need_row
from tests.needs.test_import import to_csv as needs_csv
from tests.offers.test_import import csv_bytes as offers_csv
from tests.offers.test_import import row as offer_row

pytestmark = pytest.mark.django_db


def _upload_needs(client, data: bytes, name: str = "behov.csv"):
    return client.post(reverse("needs:import_upload"),
                       {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _upload_offers(client, data: bytes, name: str = "kurs.csv"):
    return client.post(reverse("offers:import"),
                       {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _state(html: str) -> str:
    return html.split('id="import-preview" data-state="', 1)[1].split('"', 1)[0]


# --- needs (the adviser's import) ----------------------------------------------------------


def test_needs_upload_is_checked_by_a_task_and_the_page_polls_until_the_preview(
        adviser_client, django_capture_on_commit_callbacks):
    response = _upload_needs(adviser_client, needs_csv(GOOD))  # the task is not run yet
    need_import = NeedImport.objects.get()
    preview_url = reverse("needs:import_preview", kwargs={"pk": need_import.pk})
    assert response.status_code == 302 and response.url == preview_url
    job = Job.objects.get(kind="need_preview")
    assert job.status == "queued" and need_import.options["preview_job_id"] == job.pk

    html = adviser_client.get(preview_url).content.decode()
    assert _state(html) == "checking"
    # htmx polls the page itself and swaps in its #import-preview; without JavaScript the
    # page refreshes itself (noscript meta refresh, and a link).
    assert f'hx-get="{preview_url}"' in html and 'hx-select="#import-preview"' in html
    assert 'http-equiv="refresh"' in html and "<noscript>" in html
    assert 'id="import-confirm"' not in html

    job_start(job_id=job.pk, total=250)
    job_advance(job_id=job.pk, steps=100)
    html = adviser_client.get(preview_url).content.decode()
    assert "100 av 250 rader kontrollert" in html and 'value="40"' in html

    from needs.tasks import need_import_preview_task

    with django_capture_on_commit_callbacks(execute=True):
        need_import_preview_task(need_import_id=need_import.pk, job_id=job.pk, language="nb")
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert job.summary == {"rows": 3, "errors": 0}
    html = adviser_client.get(preview_url).content.decode()
    assert _state(html) == "ready" and 'http-equiv="refresh"' not in html
    assert "hx-trigger" not in html.split('id="import-preview"', 1)[1]
    assert '<dd data-count="created">3</dd>' in html and 'id="import-confirm"' in html
    status = adviser_client.get(reverse("portal:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["summary"]["rows"] == 3


def test_needs_file_that_cannot_be_used_fails_the_check_with_a_clear_message(
        adviser_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_needs(adviser_client, b"orgnr;participants\n923609016;4\n")
    job = Job.objects.get(kind="need_preview")
    assert job.status == "failed" and "external_ref" in job.message
    html = adviser_client.get(response.url).content.decode()
    assert _state(html) == "failed" and 'role="alert"' in html
    assert "external_ref" in html and 'id="import-confirm"' not in html
    status = adviser_client.get(reverse("portal:job_status", args=[job.pk])).json()
    assert status["status"] == "failed" and "external_ref" in status["message"]


def test_needs_row_errors_are_written_in_the_uploaders_language(
        adviser_client, django_capture_on_commit_callbacks):
    adviser_client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = adviser_client.post(
            reverse("needs:import_upload"),
            {"file": SimpleUploadedFile("n.csv", needs_csv([need_row(area_code="nope")]))},
            HTTP_ACCEPT_LANGUAGE="en")
    html = adviser_client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unknown competence area nope." in html


def test_a_wrong_file_type_is_refused_at_once_without_a_job(adviser_client):
    page = _upload_needs(adviser_client, b"%PDF-1.4", name="behov.pdf")
    assert page.status_code == 400 and "file" in page.context["form"].errors
    assert not Job.objects.exists() and not SpreadsheetUpload.objects.exists()


def test_a_wrong_offers_file_type_is_refused_at_once_without_a_job(provider_client):
    page = _upload_offers(provider_client, b"%PDF-1.4", name="kurs.pdf")
    assert "file" in page.context["form"].errors
    assert not Job.objects.exists() and not SpreadsheetUpload.objects.exists()


# --- offers (the provider's import) --------------------------------------------------------


def test_offers_upload_is_checked_by_a_task_then_previewed_and_imported(
        provider_client, provider, django_capture_on_commit_callbacks):
    rows = [offer_row(external_id=f"P{n}") for n in range(3)]
    response = _upload_offers(provider_client, offers_csv(rows))
    preview_url = reverse("offers:import_preview")
    assert response.status_code == 302 and response.url == preview_url
    job = Job.objects.get(kind="offer_preview")
    html = provider_client.get(preview_url).content.decode()
    assert _state(html) == "checking" and f'hx-get="{preview_url}"' in html
    assert 'http-equiv="refresh"' in html and 'id="confirm-import"' not in html

    from offers.tasks import offer_import_preview_task

    upload = SpreadsheetUpload.objects.get(kind="offers")
    with django_capture_on_commit_callbacks(execute=True):
        offer_import_preview_task(upload_id=upload.pk, job_id=job.pk, language="nb")
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    html = provider_client.get(preview_url).content.decode()
    assert _state(html) == "ready" and '<strong data-count="create">3</strong>' in html
    assert 'id="confirm-import"' in html and not Offer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        provider_client.post(reverse("offers:import_confirm"), {"confirm": "1"})
    assert Offer.objects.filter(provider=provider).count() == 3


def test_offers_row_errors_are_listed_in_the_preview(provider_client,
                                                     django_capture_on_commit_callbacks):
    rows = [offer_row(external_id="E1", area_codes="tull"),
            offer_row(external_id="E2", min_participants="12", max_participants="6")]
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_offers(provider_client, offers_csv(rows))
    html = provider_client.get(response.url).content.decode()
    assert _state(html) == "ready"
    assert 'data-row="2"' in html and 'data-row="3"' in html
    assert '<strong data-count="errors">2</strong>' in html
    assert 'id="confirm-import"' not in html


def test_offers_file_that_cannot_be_used_fails_the_check_with_a_clear_message(
        provider_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_offers(provider_client, b"title;tull\nKurs;x\n")
    job = Job.objects.get(kind="offer_preview")
    assert job.status == "failed" and job.message
    html = provider_client.get(response.url).content.decode()
    assert _state(html) == "failed" and 'role="alert"' in html and job.message[:30] in html
    assert 'id="confirm-import"' not in html


def test_the_offers_preview_without_a_pending_upload_goes_back_to_the_upload(provider_client):
    response = provider_client.get(reverse("offers:import_preview"))
    assert response.status_code == 302 and response.url == reverse("offers:import")


# --- the shared task runner ------------------------------------------------------------------


@pytest.mark.parametrize("language, expected", [
    ("nb", "Den opplastede filen"), ("en", "The uploaded file has expired")])
def test_a_preview_of_a_vanished_upload_fails_its_job_with_a_message(language, expected):
    from needs.tasks import need_import_preview_task
    from offers.tasks import offer_import_preview_task
    from portal.jobs import job_create

    for task, kwargs in ((need_import_preview_task, {"need_import_id": 987654}),
                         (offer_import_preview_task, {"upload_id": 987654})):
        job = job_create(kind="preview", by=None)
        task(**kwargs, job_id=job.pk, language=language)
        job.refresh_from_db()
        assert job.status == "failed" and expected in job.message, job.message


def test_an_error_of_ours_in_a_preview_fails_the_job_and_is_raised_again():
    from portal.jobs import job_create, job_run_preview

    job = job_create(kind="preview", by=None)

    def broken(upload):
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        job_run_preview(job_id=job.pk, language="nn", upload=object(), preview=broken)
    job.refresh_from_db()
    assert job.status == "failed" and "feil hos oss" in job.message, job.message
