"""The shared spreadsheet pipeline: both imports meet the same bad files the same way."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError
from openpyxl import Workbook

from needs import importing as needs_importing
from needs.models import Need
from offers import importing as offers_importing
from offers.models import Offer
from portal import spreadsheets
from portal.models import Organisation
from tests import factories
from tests.needs.test_import import row as need_row

pytestmark = pytest.mark.django_db


class NeedsImport:
    columns = needs_importing.COLUMNS
    text_column, numeric_column, date_column = "description", "max_travel_km", "earliest_start"
    area_column = "area_code"

    def __init__(self) -> None:
        self.rows = [need_row(external_ref="OK1"), need_row(external_ref="BAD")]

    def bad_rows(self, data: bytes, name: str) -> dict[int, str]:
        result = needs_importing.parse_needs_file(data, name)
        assert not result.file_errors, result.file_errors
        return {r.row: " ".join(r.errors) for r in result.bad_rows}

    def file_error(self, data: bytes, name: str) -> str:
        result = needs_importing.parse_needs_file(data, name)
        assert result.file_errors and not result.ok
        return " ".join(result.file_errors)

    def apply(self, data: bytes, name: str) -> None:
        needs_importing.import_needs(data, name)

    def written(self) -> int:
        return Need.objects.count() + Organisation.objects.filter(
            orgnr=self.rows[0]["orgnr"]).count()


class OffersImport:
    columns = offers_importing.COLUMNS
    text_column, numeric_column, date_column = "description", "price_nok", "start_date"
    area_column = "area_codes"

    def __init__(self) -> None:
        self.provider = factories.ProviderFactory()
        example = offers_importing.EXAMPLE_ROW
        self.rows = [example | {"external_id": "OK1"}, example | {"external_id": "BAD"}]

    def _preview(self, data: bytes, name: str):
        sheet = offers_importing.read_table(data, name)
        return offers_importing.preview_rows(sheet, provider=self.provider)

    def bad_rows(self, data: bytes, name: str) -> dict[int, str]:
        return {r.row: " ".join(r.errors) for r in self._preview(data, name).bad_rows}

    def file_error(self, data: bytes, name: str) -> str:
        with pytest.raises(offers_importing.ImportFileError) as exc:
            offers_importing.read_table(data, name)
        return str(exc.value)

    def apply(self, data: bytes, name: str) -> None:
        offers_importing.offer_import_apply(provider=self.provider,
                                            preview=self._preview(data, name))

    def written(self) -> int:
        return Offer.objects.count()


@pytest.fixture(params=[NeedsImport, OffersImport], ids=["needs", "offers"])
def target(request):
    return request.param()


def csv_file(target, encoding="utf-8", sep=";", **bad) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(target.columns)
    rows = [target.rows[0], target.rows[1] | bad]
    writer.writerows([r.get(c, "") for c in target.columns] for r in rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(target, **bad) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(target.columns))
    for values in (target.rows[0], target.rows[1] | bad):
        sheet.append([values.get(c, "") for c in target.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell(target, column: str, row: int = 3) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(list(target.columns).index(column) + 1)}{row}"


@pytest.mark.parametrize("formula", [
    "=1+1", ' =HYPERLINK("https://example.com","klikk")', "\t=1+1", "+1+1", "-1+1", "@SUM(A1)",
    "=cmd|' /C calc'!A0",
])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_formula_marks_its_row_bad_and_names_the_cell(target, formula, kind):
    if kind == "csv":
        data, name = csv_file(target, **{target.text_column: formula}), "fil.csv"
    else:
        data, name = xlsx_file(target, **{target.text_column: formula}), "fil.xlsx"
    bad = target.bad_rows(data, name)
    assert list(bad) == [3]
    assert cell(target, target.text_column) in bad[3]
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError; checked by the database
        target.apply(data, name)
    assert target.written() == 0


def test_a_plain_negative_number_is_not_a_formula(target):
    bad = target.bad_rows(csv_file(target, **{target.numeric_column: "-5"}), "fil.csv")
    assert list(bad) == [3]  # refused as a negative number, by that column's rule …
    assert cell(target, target.numeric_column) not in bad[3]  # … not as a formula
    assert spreadsheets.is_formula("-5", numeric=True) is False
    assert spreadsheets.is_formula("-5", numeric=False) is True
    assert spreadsheets.is_formula("- 12 500,50", numeric=True) is True


@pytest.mark.parametrize("value", ["31.02.2027", "2027-13-01", "neste vår", "1/2"])
def test_a_bad_date_is_a_row_error_naming_the_column(target, value):
    bad = target.bad_rows(csv_file(target, **{target.date_column: value}), "fil.csv")
    assert list(bad) == [3] and target.date_column in bad[3] and value in bad[3]


@pytest.mark.parametrize("value", ["01.03.2027", "2027-03-01", "01.03.27", "01/03/2027"])
def test_the_same_date_formats_are_accepted(target, value):
    assert target.bad_rows(csv_file(target, **{target.date_column: value}), "fil.csv") == {}


def test_unknown_codes_are_row_errors(target):
    bad = target.bad_rows(csv_file(target, municipality_code="9999"), "fil.csv")
    assert list(bad) == [3] and "9999" in bad[3]
    bad = target.bad_rows(csv_file(target, **{target.area_column: "skog.finnesikke"}),
                          "fil.csv")
    assert list(bad) == [3] and "skog.finnesikke" in bad[3]


def test_legacy_municipality_codes_are_accepted(target):
    assert target.bad_rows(csv_file(target, municipality_code="3825"), "fil.csv") == {}


@pytest.mark.parametrize(("encoding", "sep"), [("utf-8", ";"), ("utf-8-sig", ","),
                                               ("cp1252", ";"), ("cp1252", ",")])
def test_the_same_encodings_and_delimiters_are_read(target, encoding, sep):
    data = csv_file(target, encoding=encoding, sep=sep,
                    **{target.text_column: "Tømmer og sag: å"})
    assert target.bad_rows(data, "fil.csv") == {}


@pytest.mark.parametrize(("data", "name"), [
    (b"external_ref;orgnr\n\x81\x8d\x8f;\x90\n", "fil.csv"),  # neither UTF-8 nor Windows-1252
    (b"%PDF-1.4 garbage", "fil.pdf"),
    (b"", "fil.csv"),
    (b"PK\x03\x04 not really a workbook", "fil.xlsx"),
])
def test_an_unreadable_file_is_a_file_error_for_both(target, data, name):
    assert target.file_error(data, name)


def test_missing_and_unknown_columns_are_file_errors(target):
    data = csv_file(target).replace(target.columns[-1].encode(), b"surprise", 1)
    message = target.file_error(data, "fil.csv")
    assert target.columns[-1] in message and "surprise" in message


def test_a_too_large_file_is_a_file_error(target, settings):
    settings.IMPORT_MAX_BYTES = 50
    assert target.file_error(csv_file(target), "fil.csv")


def test_rows_keep_their_spreadsheet_numbers_across_blank_lines(target):
    data = csv_file(target, **{target.area_column: "nope"})
    header, first, second = data.decode().splitlines()
    spaced = "\n".join([header, first, "", ";;", second]).encode()
    assert list(target.bad_rows(spaced, "fil.csv")) == [5]


def test_a_database_error_half_way_through_the_apply_leaves_nothing(target, monkeypatch):
    data = csv_file(target)
    assert target.bad_rows(data, "fil.csv") == {}
    if isinstance(target, NeedsImport):
        from needs.services import imports as module

        name = "organisation_create_without_members"
        real = getattr(module, name)
        target.rows[1]["orgnr"] = factories._valid_orgnr(9077)
        data = csv_file(target)
    else:
        from offers.importing import apply as module

        real, name = module.offer_create, "offer_create"
    calls = []

    def fails_the_second_time(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(module, name, fails_the_second_time)
    with pytest.raises(DatabaseError):
        target.apply(data, "fil.csv")
    assert len(calls) == 2 and target.written() == 0
    assert not Organisation.objects.filter(orgnr=target.rows[1].get("orgnr", "-")).exists()


def test_the_needs_import_page_offers_its_template_and_it_imports(adviser_client):
    from django.urls import reverse

    page = adviser_client.get(reverse("needs:import_upload")).content.decode()
    for fmt in ("csv", "xlsx"):
        url = reverse("needs:import_template", args=[fmt])
        assert url in page
        response = adviser_client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        # The template's example is never imported (second sheet / # comment line).
        result = needs_importing.parse_needs_file(response.content, f"mal.{fmt}")
        assert result.counts()["created"] == 0, result.summary()
    assert adviser_client.get(reverse("needs:import_template", args=["pdf"])).status_code == 404


def test_a_business_cannot_download_the_needs_template(business_client):
    from django.urls import reverse

    response = business_client.get(reverse("needs:import_template", args=["csv"]))
    assert response.status_code in (403, 404)
