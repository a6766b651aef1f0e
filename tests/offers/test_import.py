import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from offers import importing
from offers.importing import COLUMNS, EXAMPLE_ROW
from offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db


def row(**over):
    data = dict(EXAMPLE_ROW)
    data.update(over)
    return data


def csv_bytes(rows, sep=";", encoding="utf-8", columns=COLUMNS):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return buf.getvalue().encode(encoding)


def preview(data, provider, name="kurs.csv", publish=True):
    return importing.preview_rows(importing.read_table(data, name), provider=provider,
                                  publish=publish)


def do_import(data, provider, name="kurs.csv", publish=True):
    return importing.offers_import(provider=provider, preview=preview(data, provider, name),
                                   publish=publish)


@pytest.fixture
def provider():
    return factories.ProviderFactory()


def test_import_creates_then_reimport_is_idempotent_and_updates(provider):
    rows = [row(external_id="A1"), row(external_id="A2", title="Motorsagkurs",
                                       area_codes="skog.motorsag")]
    result = do_import(csv_bytes(rows), provider)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert Offer.objects.filter(provider=provider, status="published").count() == 2
    again = do_import(csv_bytes(rows), provider)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows[1]["price_nok"] = "5000"
    third = do_import(csv_bytes(rows), provider)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Offer.objects.filter(provider=provider).count() == 2
    assert Offer.objects.get(external_id="A2").price_nok == 5000


@pytest.mark.parametrize("over", [
    {"area_codes": "skog.finnesikke"},
    {"end_date": "2027-02-01"},
    {"price_nok": "-100"},
    {"start_date": "31.02.2027"},
    {"start_date": "neste vår"},
    {"level": "master"},
    {"format": "telepati"},
    {"language": "klingon"},
    {"municipality_code": "9999"},
    {"on_demand": "kanskje"},
    {"hours": "mange"},
])
def test_each_bad_row_is_reported_with_its_row_number(provider, over):
    rows = [row(external_id="OK1"), row(external_id="BAD", **over)]
    result = preview(csv_bytes(rows), provider)
    assert [r.row for r in result.bad_rows] == [3]  # header is row 1
    assert result.bad_rows[0].errors
    assert not result.is_valid


def test_duplicate_external_id_in_file_is_reported(provider):
    result = preview(csv_bytes([row(), row(), row(external_id="X")]), provider)
    assert [r.row for r in result.bad_rows] == [3]


def test_nothing_is_imported_when_one_row_is_bad(provider):
    data = csv_bytes([row(external_id="G1"), row(external_id="G2", price_nok="-1")])
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError, checked by DB state
        do_import(data, provider)
    assert not Offer.objects.exists()


def test_norwegian_dates_legacy_municipality_and_yes_no_words(provider):
    data = csv_bytes([row(start_date="01.03.2027", end_date="05.03.2027",
                          deadline="01.02.2027", municipality_code="3825", on_demand="Nei",
                          price_nok="12 500,50")])
    do_import(data, provider)
    offer = Offer.objects.get()
    assert str(offer.start_date) == "2027-03-01" and offer.municipality.code == "4036"
    assert offer.on_demand is False and str(offer.price_nok) == "12500.50"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_encodings_and_delimiters(provider, encoding, sep):
    title = "Kurs i æøå og ÆØÅ for tømrere"
    data = csv_bytes([row(title=title, description="Grunnleggende")], sep=sep,
                     encoding=encoding)
    do_import(data, provider)
    assert Offer.objects.get().title == title


def test_the_templates_example_is_never_imported(provider):
    # The example sits on a second sheet (xlsx) or in a # comment line (csv): an untouched
    # template has no offers at all.
    from django.core.exceptions import ValidationError

    for data, name in ((importing.template_xlsx(), "mal.xlsx"),
                       (importing.template_csv(), "mal.csv")):
        with pytest.raises(ValidationError):
            do_import(data, provider, name=name)
    assert not Offer.objects.exists()


def test_rows_filled_in_below_the_csv_templates_example_are_imported(provider):
    template = importing.template_csv().decode("utf-8-sig")
    own = csv_bytes([row(external_id="EGEN-1", title="Vårt eget kurs")]).decode()
    data = (template + own.split("\n", 1)[1]).encode("utf-8")
    result = do_import(data, provider)
    assert result.created == 1
    assert list(Offer.objects.values_list("external_id", flat=True)) == ["EGEN-1"]


def test_xlsx_with_the_templates_layout_imports_the_first_sheet_only(provider):
    workbook = openpyxl.load_workbook(io.BytesIO(importing.template_xlsx()))
    workbook.worksheets[0].append([row(external_id="EGEN-2")[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = do_import(buffer.getvalue(), provider, name="mal.xlsx")
    assert result.created == 1
    assert list(Offer.objects.values_list("external_id", flat=True)) == ["EGEN-2"]
    assert workbook.worksheets[1].cell(4, 1).value == EXAMPLE_ROW["external_id"]


def test_xlsx_dates_stored_as_dates_are_read(provider):
    import datetime as dt
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    values = [EXAMPLE_ROW[c] for c in COLUMNS]
    values[COLUMNS.index("start_date")] = dt.datetime(2027, 3, 1)
    ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    do_import(buf.getvalue(), provider, name="kurs.xlsx")
    assert str(Offer.objects.get().start_date) == "2027-03-01"


def test_formulas_are_refused_in_csv_and_xlsx(provider):
    # One formula policy for both imports: a formula makes its row an error (with the cell
    # named), no longer the whole file, so the other rows are still checked.
    result = preview(csv_bytes([row(price_nok="=1+1")]), provider)
    assert [r.row for r in result.bad_rows] == [2] and not result.is_valid
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append([EXAMPLE_ROW[c] for c in COLUMNS])
    ws["M2"] = "=SUM(1,2)"
    buf = io.BytesIO()
    wb.save(buf)
    result = preview(buf.getvalue(), provider, name="kurs.xlsx")
    assert "M2" in " ".join(result.bad_rows[0].errors)


def test_missing_columns_are_named(provider):
    columns = [c for c in COLUMNS if c not in ("price_nok", "url")]
    with pytest.raises(importing.ImportFileError) as exc:
        importing.read_table(csv_bytes([row()], columns=columns), "kurs.csv")
    assert "price_nok" in str(exc.value) and "url" in str(exc.value)


def test_too_large_file_is_refused(settings, provider):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(importing.ImportFileError):
        importing.read_table(csv_bytes([row()] * 5), "kurs.csv")


def test_upload_preview_confirm_through_the_pages(provider_client, provider,
                                                 django_capture_on_commit_callbacks):
    upload = io.BytesIO(csv_bytes([row(external_id="W1"), row(external_id="W2")]))
    upload.name = "kurs.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the check, a task on commit
        response = provider_client.post(reverse("offers:import"),
                                        {"file": upload, "publish": "on"})
    assert response.status_code == 302
    response = provider_client.get(response.url)
    assert response.context["preview"]["counts"]["create"] == 2
    assert not Offer.objects.exists()  # preview saves nothing
    with django_capture_on_commit_callbacks(execute=True):  # the import task, queued on commit
        done = provider_client.post(reverse("offers:import_confirm"), {"confirm": "1"})
    assert done.status_code == 302
    assert Offer.objects.filter(provider=provider, status="published").count() == 2


def test_upload_page_shows_bad_rows_and_file_errors(provider_client, settings,
                                                    django_capture_on_commit_callbacks):
    upload = io.BytesIO(csv_bytes([row(external_id="W1", area_codes="tull")]))
    upload.name = "kurs.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = provider_client.post(reverse("offers:import"), {"file": upload})
    assert b'data-row="2"' in provider_client.get(response.url).content
    settings.IMPORT_MAX_BYTES = 10
    upload = io.BytesIO(csv_bytes([row()]))
    upload.name = "kurs.csv"
    response = provider_client.post(reverse("offers:import"), {"file": upload})
    assert "file" in response.context["form"].errors
    bad = io.BytesIO(b"%PDF-1.4 garbage")
    bad.name = "kurs.pdf"
    response = provider_client.post(reverse("offers:import"), {"file": bad})
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_templates_download(provider_client):
    csv = provider_client.get(reverse("offers:import_template", args=["csv"]))
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbfexternal_id;")
    xlsx = provider_client.get(reverse("offers:import_template", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_import_command_creates_provider_and_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "kurs.csv"
    path.write_bytes(csv_bytes([row()]))
    orgnr = factories._valid_orgnr(9000)
    call_command("import_offers", str(path), "--provider", orgnr, "--provider-name", "Nytt AS",
                 "--dry-run")
    assert not Offer.objects.exists()
    call_command("import_offers", str(path), "--provider", orgnr, "--provider-name", "Nytt AS",
                 "--publish")
    offer = Offer.objects.get()
    assert offer.provider.orgnr == orgnr and offer.status == "published"
    with pytest.raises(CommandError):
        call_command("import_offers", str(path), "--provider", "123456789")


def test_stale_unconfirmed_uploads_are_removed_on_next_upload(provider_client, provider):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    old = default_storage.save(f"offer_imports/{provider.pk}/old.csv", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    upload = io.BytesIO(csv_bytes([row()]))
    upload.name = "kurs.csv"
    provider_client.post(reverse("offers:import"), {"file": upload})
    assert not default_storage.exists(old)


def test_import_without_publish_makes_drafts_and_update_of_published_sends_changed(provider):
    from offers.signals import offer_changed, offer_published

    seen = []

    def on_published(sender, offer_id, **kw):
        seen.append(("published", offer_id))

    def on_changed(sender, offer_id, **kw):
        seen.append(("changed", offer_id))

    offer_published.connect(on_published, weak=False)
    offer_changed.connect(on_changed, weak=False)
    try:
        do_import(csv_bytes([row(external_id="D1")]), provider, publish=False)
        offer = Offer.objects.get()
        assert offer.status == "draft" and seen == []
        do_import(csv_bytes([row(external_id="D1")]), provider, publish=True)
        assert seen == [("published", offer.pk)]
        do_import(csv_bytes([row(external_id="D1", title="Nytt navn")]), provider)
        assert seen[-1] == ("changed", offer.pk)
    finally:
        offer_published.disconnect(on_published)
        offer_changed.disconnect(on_changed)


def test_confirmed_import_runs_as_a_job_and_its_page_shows_the_result(
        provider_client, provider, django_capture_on_commit_callbacks):
    from portal.models import Job

    upload = io.BytesIO(csv_bytes([row(external_id=f"J{n}") for n in range(3)]))
    upload.name = "kurs.csv"
    provider_client.post(reverse("offers:import"), {"file": upload})
    with django_capture_on_commit_callbacks(execute=True):
        done = provider_client.post(reverse("offers:import_confirm"), {"confirm": "1"})
    job = Job.objects.get(kind="offer_import")
    assert done.status_code == 302 and done.url == reverse("portal:job", args=[job.pk])
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert job.summary == {"created": 3, "updated": 0, "unchanged": 0}
    status = provider_client.get(reverse("portal:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["summary"]["created"] == 3
    page = provider_client.get(done.url).content.decode()
    assert 'data-created="3"' in page


def test_a_file_that_no_longer_validates_fails_the_job_with_the_reason(provider):
    from offers.tasks import offer_import_task
    from portal.jobs import job_create
    from portal.models import Job, SpreadsheetUpload
    from portal.uploads import spreadsheet_upload_create

    data = csv_bytes([row(external_id="F1", area_codes="tull")])
    upload = spreadsheet_upload_create(kind=SpreadsheetUpload.Kind.OFFERS, data=data,
                                       filename="kurs.csv", organisation=provider,
                                       options={"publish": False}, by=factories.member_of(provider))
    job = job_create(kind="offer_import")
    offer_import_task(upload_id=upload.pk, provider_id=provider.pk, user_id=None,
                      job_id=job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed" and job.message
    assert not Offer.objects.exists()


def test_preview_lists_cross_column_errors_together_with_the_others(provider):
    result = preview(csv_bytes([row(external_id="X1", hours="mange", start_date="2027-05-03",
                                    end_date="2027-05-01", deadline="2027-04-01",
                                    min_participants="12", max_participants="6")]), provider)
    [line] = result.rows
    text = " ".join(line.errors)
    assert "hours" in text  # the unreadable number
    assert "end date is before the start date" in text.lower() or "slutt" in text.lower()
    assert len(line.errors) >= 3
