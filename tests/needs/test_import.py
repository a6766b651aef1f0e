import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from needs import signals
from needs.importing import COLUMNS, import_needs, parse_needs_file
from needs.models import Need, NeedImport
from portal.models import Organisation
from tests.factories import BusinessFactory, SurveyRoundFactory, _valid_orgnr

pytestmark = pytest.mark.django_db

ORG_A = _valid_orgnr(9001)
ORG_B = _valid_orgnr(9002)


def row(**overrides):
    values = {
        "external_ref": "R1", "orgnr": ORG_A, "business_name": "Vinje Skog AS",
        "municipality_code": "4036", "industry_code": "02.200", "employees": "12",
        "area_code": "skog.motorsag", "description": "Motorsagkurs før hogst",
        "participants": "4", "level": "course", "formats": "local;workplace",
        "earliest_start": "2027-03-01", "latest_start": "2027-05-01", "max_travel_km": "60",
        "budget_nok": "5000",
    }
    values.update(overrides)
    return values


def to_csv(rows, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    writer.writerows([r[c] for c in COLUMNS] for r in rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


GOOD = [
    row(),
    row(external_ref="R2", area_code="energi.fse", participants="2", level="",
        formats="online", max_travel_km="", budget_nok=""),
    row(external_ref="B1", orgnr=ORG_B, business_name="Tokke Hytteservice",
        municipality_code="4034", industry_code="55.101", employees="5",
        area_code="reiseliv", participants="3", description="Vertskap for sesongansatte"),
]


def test_good_file_imports_businesses_and_submitted_needs():
    calls = []

    def receiver(sender, need_id, **kwargs):
        calls.append(need_id)

    signals.need_submitted.connect(receiver, weak=False)
    try:
        survey_round = SurveyRoundFactory()
        result = import_needs(to_csv(GOOD), "needs.csv", round=survey_round)
    finally:
        signals.need_submitted.disconnect(receiver)
    assert result.counts()["created"] == 3 and result.counts()["new_businesses"] == 2
    org = Organisation.objects.get(orgnr=ORG_A)
    assert org.kind == "business" and org.municipality.code == "4036"
    assert org.industry_code == "02.200" and org.employees == 12
    need = Need.objects.get(organisation=org, external_ref="R1")
    assert need.status == Need.Status.SUBMITTED and need.round == survey_round
    assert need.formats == ["local", "workplace"] and need.participants == 4
    assert sorted(calls) == sorted(Need.objects.values_list("pk", flat=True))


def test_reimport_is_idempotent_and_counts_updates():
    import_needs(to_csv(GOOD), "needs.csv")
    again = import_needs(to_csv(GOOD), "needs.csv")
    assert again.counts() | {"rows": 0} == {"rows": 0, "created": 0, "updated": 0,
                                            "unchanged": 3, "new_businesses": 0, "errors": 0}
    changed = [GOOD[0] | {"participants": "5"}, *GOOD[1:]]
    third = import_needs(to_csv(changed), "needs.csv")
    assert third.counts()["updated"] == 1 and third.counts()["unchanged"] == 2
    assert Need.objects.count() == 3
    assert Need.objects.get(external_ref="R1").participants == 5


def test_legacy_municipality_codes_are_mapped():
    rows = [row(municipality_code="3825"), row(external_ref="R9", orgnr=ORG_B,
                                               municipality_code="0834")]
    import_needs(to_csv(rows), "needs.csv")
    assert Organisation.objects.get(orgnr=ORG_A).municipality.code == "4036"
    assert Organisation.objects.get(orgnr=ORG_B).municipality.code == "4036"


@pytest.mark.parametrize(("bad", "fragment"), [
    ({"area_code": "skog.finnesikke"}, "skog.finnesikke"),
    ({"municipality_code": "9999"}, "9999"),
    ({"orgnr": "123456789"}, "123456789"),
    ({"earliest_start": "31.02.2027"}, "31.02.2027"),
    ({"earliest_start": "2027-06-01", "latest_start": "2027-05-01"}, ""),
    ({"participants": "0"}, ""),
    ({"level": "master"}, "master"),
    ({"formats": "local;teleport"}, "teleport"),
    ({"description": "=HYPERLINK(\"x\")"}, ""),
    ({"participants": "20"}, "12"),
])
def test_bad_rows_are_reported_with_spreadsheet_row_numbers(bad, fragment):
    rows = [row(external_ref="OK1"), row(external_ref="BAD", **bad)]
    result = parse_needs_file(to_csv(rows), "needs.csv")
    assert [r.row for r in result.bad_rows] == [3]  # header is row 1
    assert fragment in " ".join(result.bad_rows[0].errors)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_needs(to_csv(rows), "needs.csv")
    assert not Need.objects.exists() and not Organisation.objects.filter(orgnr=ORG_A).exists()


def test_duplicate_key_inside_the_file_is_an_error():
    result = parse_needs_file(to_csv([row(), row()]), "needs.csv")
    assert [r.row for r in result.bad_rows] == [3]


def test_missing_column_is_a_file_error():
    data = to_csv([row()]).replace(b"budget_nok", b"budget")
    result = parse_needs_file(data, "needs.csv")
    assert result.file_errors and not result.ok


def test_orgnr_of_a_provider_is_refused():
    from tests.factories import ProviderFactory

    provider = ProviderFactory()
    result = parse_needs_file(to_csv([row(orgnr=provider.orgnr)]), "needs.csv")
    assert result.bad_rows


@pytest.mark.parametrize(("delimiter", "encoding", "bom"), [
    (";", "cp1252", False), (",", "utf-8", True), (";", "utf-8", False),
])
def test_encodings_and_delimiters(delimiter, encoding, bom):
    rows = [row(business_name="Bø Sag og Høvleri AS", description="Tømmer og sag: å")]
    result = import_needs(to_csv(rows, delimiter, encoding, bom), "needs.csv")
    assert result.ok
    assert Organisation.objects.get(orgnr=ORG_A).name == "Bø Sag og Høvleri AS"


def xlsx(rows, formula=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for r in rows:
        sheet.append([r[c] for c in COLUMNS])
    if formula:
        sheet["H2"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_imports():
    result = import_needs(xlsx(GOOD), "needs.xlsx")
    assert result.counts()["created"] == 3
    assert Need.objects.get(external_ref="R2").formats == ["online"]


def test_xlsx_formula_is_refused():
    result = parse_needs_file(xlsx(GOOD, formula=True), "needs.xlsx")
    assert [r.row for r in result.bad_rows] == [2]


def test_a_five_megabyte_file_imports(settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    description = "Motorsagkurs for skogsarbeidere i bratt terreng. " * 20
    rows = [row(external_ref=f"R{i}", description=description) for i in range(5200)]
    data = to_csv(rows)
    assert len(data) > 5 * 1024 * 1024
    result = import_needs(data, "big.csv")
    assert result.counts()["created"] == 5200
    assert Need.objects.count() == 5200


def test_too_large_file_is_refused_with_a_message(adviser_client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", to_csv([row()] * 20), content_type="text/csv")
    page = adviser_client.post(reverse("needs:import_upload"), {"file": upload})
    assert page.status_code == 400
    assert "file" in page.context["form"].errors
    assert not NeedImport.objects.exists()


def test_preview_then_confirm_through_the_pages(adviser_client,
                                                django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("needs.csv", to_csv(GOOD), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):  # the check, a task on commit
        response = adviser_client.post(reverse("needs:import_upload"), {"file": upload})
    need_import = NeedImport.objects.get()
    assert response.url == reverse("needs:import_preview", kwargs={"pk": need_import.pk})
    page = adviser_client.get(response.url)
    html = page.content.decode()
    assert '<dd data-count="created">3</dd>' in html and 'id="import-confirm"' in html
    assert not Need.objects.exists()  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):  # the import task, on commit
        adviser_client.post(reverse("needs:import_confirm", kwargs={"pk": need_import.pk}))
    assert Need.objects.count() == 3
    need_import.refresh_from_db()
    assert need_import.status == NeedImport.Status.IMPORTED
    # Confirming twice does not import twice.
    adviser_client.post(reverse("needs:import_confirm", kwargs={"pk": need_import.pk}))
    assert Need.objects.count() == 3


def test_preview_lists_bad_rows_and_offers_no_confirm(adviser_client,
                                                      django_capture_on_commit_callbacks):
    rows = [row(), row(external_ref="X", area_code="nope")]
    upload = SimpleUploadedFile("needs.csv", to_csv(rows), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = adviser_client.post(reverse("needs:import_upload"), {"file": upload})
    html = adviser_client.get(response.url).content.decode()
    assert 'data-row="3"' in html and 'id="import-confirm"' not in html
    need_import = NeedImport.objects.get()
    adviser_client.post(reverse("needs:import_confirm", kwargs={"pk": need_import.pk}))
    assert not Need.objects.exists()


def test_existing_business_keeps_its_data():
    org = BusinessFactory(orgnr=ORG_A, name="Gammelt navn", employees=30)
    import_needs(to_csv([row()]), "needs.csv")
    org.refresh_from_db()
    assert org.name == "Gammelt navn" and org.needs.count() == 1


def test_management_command_dry_run_and_import(tmp_path, capsys):
    path = tmp_path / "needs.csv"
    path.write_bytes(to_csv(GOOD))
    call_command("import_needs", str(path), "--dry-run")
    assert not Need.objects.exists()
    call_command("import_needs", str(path))
    assert Need.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([row(area_code="nope")]))
    with pytest.raises(CommandError):
        call_command("import_needs", str(bad))
    assert "row 2" in capsys.readouterr().err


def test_management_command_refuses_a_too_large_file(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_bytes(to_csv(GOOD))
    with pytest.raises(CommandError):
        call_command("import_needs", str(path))
    assert not Need.objects.exists()


def test_management_command_round_option(tmp_path):
    survey_round = SurveyRoundFactory()
    path = tmp_path / "needs.csv"
    path.write_bytes(to_csv(GOOD))
    call_command("import_needs", str(path), "--round", str(survey_round.pk))
    assert set(Need.objects.values_list("round", flat=True)) == {survey_round.pk}
    with pytest.raises(CommandError):
        call_command("import_needs", str(path), "--round", "999999")


def test_confirmed_needs_import_runs_as_a_job_with_counts(adviser_client,
                                                          django_capture_on_commit_callbacks):
    from portal.models import Job

    upload = SimpleUploadedFile("needs.csv", to_csv(GOOD), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        adviser_client.post(reverse("needs:import_upload"), {"file": upload})
    need_import = NeedImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        done = adviser_client.post(reverse("needs:import_confirm",
                                           kwargs={"pk": need_import.pk}))
    job = Job.objects.get(kind="need_import")
    assert done.url == reverse("portal:job", args=[job.pk])
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert job.summary["created"] == 3
    status = adviser_client.get(reverse("portal:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["summary"]["created"] == 3


def test_a_bad_needs_file_fails_its_job_with_the_reason(adviser_client,
                                                        django_capture_on_commit_callbacks):
    from portal.models import Job

    rows = [row(), row(external_ref="X", area_code="nope")]
    upload = SimpleUploadedFile("needs.csv", to_csv(rows), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        adviser_client.post(reverse("needs:import_upload"), {"file": upload})
    need_import = NeedImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        adviser_client.post(reverse("needs:import_confirm", kwargs={"pk": need_import.pk}))
    job = Job.objects.get(kind="need_import")
    assert job.status == "failed" and job.message
    assert not Need.objects.exists()
