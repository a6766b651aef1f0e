"""Reference data: municipalities with their historical codes, the competence taxonomy, industries.

Region is data, not code: another county loads its own municipalities with `in_region=True`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _label_in(obj, language: str | None) -> str:
    language = (language or get_language() or "nb")[:2]
    return getattr(obj, f"label_{language}", "") or obj.label_nb


class CompetenceAreaQuerySet(models.QuerySet):
    def with_descendants(self, code: str) -> CompetenceAreaQuerySet:
        """The area with this code and its sub-areas: every filter by area means both (a main
        area stands for everything under it)."""
        return self.filter(models.Q(code=code) | models.Q(parent__code=code))


class Municipality(models.Model):
    code = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county_code = models.CharField(_("county number"), max_length=2)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    in_region = models.BooleanField(_("in the service region"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class MunicipalityAlias(models.Model):
    """A retired municipality number that older data still uses (e.g. 3825 and 0834 for Vinje)."""

    code = models.CharField(_("old municipality number"), max_length=4, unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="aliases")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("old municipality number")
        verbose_name_plural = _("old municipality numbers")

    def __str__(self) -> str:
        return f"{self.code} → {self.municipality.code}"


class CompetenceArea(models.Model):
    """Two-level taxonomy: top-level areas (`skog`) and sub-areas (`skog.motorsag`)."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    label_nb = models.CharField(_("label (bokmål)"), max_length=150)
    label_nn = models.CharField(_("label (nynorsk)"), max_length=150)
    label_en = models.CharField(_("label (English)"), max_length=150)
    synonyms = models.TextField(
        _("synonyms"), blank=True, help_text=_("Search words separated by semicolons.")
    )
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CompetenceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _label_in(self, None)

    @property
    def top_code(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Industry(models.Model):
    """An industry code *with its standard*: SN2025 renumbers SN2007's codes."""

    class Standard(models.TextChoices):
        SN2007 = "SN2007", "SN2007"
        SN2025 = "SN2025", "SN2025"

    standard = models.CharField(max_length=10, choices=Standard.choices, default=Standard.SN2007)
    code = models.CharField(_("code"), max_length=10)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)
    label_nb = models.CharField(max_length=250)
    label_nn = models.CharField(max_length=250)
    label_en = models.CharField(max_length=250)

    class Meta:
        ordering = ["standard", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="industry_unique_code")
        ]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return _label_in(self, None)
