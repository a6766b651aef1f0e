"""The one upload model of both spreadsheet imports (needs and offers).

Files live in the default storage under MEDIA_ROOT, which no URL serves: only the pages of the
import that owns an upload read it back. An upload is kept between preview and confirmation and
parsed again on confirmation (never trusted from the browser), so the preview and the import run
the same code on the same bytes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FOLDERS = {"needs": "need_imports", "offers": "offer_imports"}


def upload_path(instance: SpreadsheetUpload, filename: str) -> str:
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"{upload_folder(instance.kind, instance.organisation_id)}/{uuid.uuid4().hex}{suffix}"


def upload_folder(kind: str, organisation_id: int | None) -> str:
    return f"{FOLDERS[kind]}/{organisation_id or 'county'}"


class SpreadsheetUpload(models.Model):
    class Kind(models.TextChoices):
        NEEDS = "needs", _("Needs")
        OFFERS = "offers", _("Offers")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Whose data the file holds: the provider for an offers import; none for the county's
    # needs import.
    organisation = models.ForeignKey("portal.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to=upload_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    # The import's own settings, chosen on the upload form (e.g. the survey round, publish).
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("spreadsheet upload")
        verbose_name_plural = _("spreadsheet uploads")

    def __str__(self) -> str:
        return self.filename

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
