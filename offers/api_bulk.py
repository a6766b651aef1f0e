"""`PUT /api/v1/offers/bulk/`: a provider's course database upserts its offers by external_id.

The rows go through the spreadsheet import's own validation and apply step
(`offers.importing`), so the rules are the import's: all rows or none, every bad row reported
with its reasons, and sending the same rows again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import parsers, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import spreadsheets as sheets
from portal.api_common import Conflict, PayloadTooLarge, service_errors

from .api_writes import OFFER_EXAMPLE, provider_for
from .importing import COLUMNS, offer_import_apply, preview_rows
from .importing.reading import NUMERIC
from .models import Offer

MAX_ROWS = 1000
# JSON field -> spreadsheet column, where the API's name is the one the single-offer API uses.
RENAMED = {"areas": "area_codes", "municipality": "municipality_code",
           "application_deadline": "deadline"}
FIELDS = [next((k for k, v in RENAMED.items() if v == c), c) for c in COLUMNS]


def _cell(field: str, value: Any) -> tuple[str, str | None]:
    """A JSON value as the spreadsheet cell the import reads, or a type error."""
    if value is None:
        return "", None
    if field == "areas":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "", _("areas must be a list of competence area codes.")
        return ";".join(value), None
    if field == "on_demand":
        if not isinstance(value, bool):
            return "", _("on_demand must be true or false.")
        return ("ja" if value else "nei"), None
    if field in NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return "", _("%(field)s must be a number.") % {"field": field}
        return str(value), None
    if not isinstance(value, str | int) or isinstance(value, bool):
        return "", _("%(field)s must be text.") % {"field": field}
    return str(value), None


def _sheet(rows: list) -> tuple[sheets.Sheet, dict[int, list[str]]]:
    """The rows as the import's sheet of strings (numbered as spreadsheet rows, header = 1),
    and the JSON type errors by row index."""
    type_errors: dict[int, list[str]] = {}
    lines = []
    for index, row in enumerate(rows):
        errors = type_errors.setdefault(index, [])
        if not isinstance(row, dict):
            errors.append(_("Each row must be a JSON object."))
            row = {}
        unknown = sorted(set(row) - set(FIELDS))
        if unknown:
            errors.append(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
        values = {}
        for field, column in zip(FIELDS, COLUMNS, strict=True):
            cell, problem = _cell(field, row.get(field))
            values[column] = cell.strip()
            if problem:
                errors.append(problem)
            elif sheets.is_formula(values[column], numeric=column in NUMERIC):
                # The import's formula policy, so the same rows are refused either way.
                errors.append(_("%(field)s starts with “%(char)s”: formulas are refused.")
                              % {"field": field, "char": values[column][0]})
        lines.append(sheets.SheetRow(number=index + 2, values=values))
    return sheets.Sheet(columns=list(COLUMNS), rows=lines), {
        i: e for i, e in type_errors.items() if e}


@extend_schema(
    request=inline_serializer("OfferBulkRequest", {
        "publish": serializers.BooleanField(
            default=True, help_text="Publish every row (as the spreadsheet import does)."),
        "offers": serializers.ListField(child=serializers.DictField(), min_length=1,
                                        max_length=MAX_ROWS),
    }),
    responses={200: inline_serializer("OfferBulkResult", {
        "created": serializers.IntegerField(), "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "results": inline_serializer("OfferBulkRow", {
            "index": serializers.IntegerField(), "external_id": serializers.CharField(),
            "action": serializers.ChoiceField(choices=["create", "update", "unchanged"]),
            "id": serializers.IntegerField()}, many=True),
    }), 400: inline_serializer("OfferBulkErrors", {
        "detail": serializers.CharField(required=False),
        "rows": inline_serializer("OfferBulkRowErrors", {
            "index": serializers.IntegerField(), "external_id": serializers.CharField(),
            "errors": serializers.ListField(child=serializers.CharField())}, many=True,
            required=False, help_text="Every bad row, when the rows were readable."),
        "offers": serializers.ListField(child=serializers.CharField(), required=False,
                                        help_text="What is wrong with the body as a whole."),
    })},
    examples=[OpenApiExample("Saved", response_only=True, value={
        "created": 1, "updated": 0, "unchanged": 1, "results": [
            {"index": 0, "external_id": "SVEIS-2027-1", "action": "unchanged", "id": 7},
            {"index": 1, "external_id": "SVEIS-2027-2", "action": "create", "id": 8}]}),
              OpenApiExample("A bad row: nothing saved", response_only=True, status_codes=[400],
                             value={"detail": "1 rows have errors; nothing was saved.",
                                    "rows": [{"index": 1, "external_id": "SVEIS-2027-2",
                                              "errors": ["Unknown municipality code 9999."]}]}),
              OpenApiExample("Two offers", request_only=True, value={
        "publish": True,
        "offers": [OFFER_EXAMPLE, {**OFFER_EXAMPLE, "external_id": "SVEIS-2027-2",
                                 "start_date": "2027-09-06", "end_date": "2027-09-10",
                                 "application_deadline": "2027-08-15"}]})],
    description=(
        "Create or update the provider's offers by `external_id`, up to 1 000 rows, with the "
        "spreadsheet import's rules. All rows or none: if any row is wrong nothing is saved "
        "and the answer lists every bad row (`index` from 0) with its reasons. Sending the "
        "same rows again changes nothing (`unchanged`). Fields as for one offer; offers not "
        "in the request are left alone."),
)
class OfferBulkUpsert(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.JSONParser]
    api_errors = (409, 413)

    def put(self, request) -> Response:
        limit = settings.API_BULK_MAX_BYTES
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise PayloadTooLarge(_("The request is larger than %(mb)s MB.") % {
                "mb": limit // 1_048_576})
        provider = provider_for(request)
        body = request.data
        rows, publish = (body, True) if isinstance(body, list) else (
            body.get("offers"), body.get("publish", True)) if isinstance(body, dict) else (
            None, True)
        if not isinstance(rows, list) or not isinstance(publish, bool):
            raise ValidationError({"offers": [_("Send a list of offers (at most %(max)s).")
                                              % {"max": MAX_ROWS}]})
        if len(rows) > MAX_ROWS:
            raise PayloadTooLarge(_("At most %(max)s offers per request; this one has "
                                    "%(count)s.") % {"max": MAX_ROWS, "count": len(rows)})
        if not rows:
            raise ValidationError({"offers": [_("The list of offers is empty.")]})
        sheet, type_errors = _sheet(rows)
        preview = preview_rows(sheet, provider=provider, publish=publish)
        bad = []
        for result in preview.rows:
            index = result.row - 2  # the import counts spreadsheet rows (header = 1)
            errors = type_errors.get(index, []) + result.errors
            if errors:
                bad.append({"index": index, "external_id": result.external_id,
                            "errors": errors})
        if bad:
            return Response({"detail": _("%(count)s rows have errors; nothing was saved.")
                             % {"count": len(bad)}, "rows": bad}, status=400)
        try:
            with service_errors():
                summary = offer_import_apply(provider=provider, preview=preview,
                                             publish=publish, by=request.user)
        except IntegrityError:
            raise Conflict(_("Another request changed these offers at the same time; "
                             "send the rows again.")) from None
        ids = dict(Offer.objects.filter(
            provider=provider, external_id__in=[r.external_id for r in preview.rows])
            .values_list("external_id", "pk"))
        return Response({
            "created": summary.created, "updated": summary.updated,
            "unchanged": summary.unchanged,
            "results": [{"index": r.row - 2, "external_id": r.external_id, "action": r.action,
                         "id": ids.get(r.external_id)} for r in preview.rows],
        })
