"""Codes shared by needs, offers and matching: a public contract (imports, exports, API)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COURSE = "course", _("Course or certificate")
    TRADE_CERTIFICATE = "trade_certificate", _("Trade certificate")
    VOCATIONAL_COLLEGE = "vocational_college", _("Tertiary vocational college")
    HIGHER_EDUCATION = "higher_education", _("University or university college")


# Levels in ascending order, used to judge how close two levels are.
LEVEL_ORDER: dict[str, int] = {
    Level.COURSE: 0,
    Level.TRADE_CERTIFICATE: 1,
    Level.VOCATIONAL_COLLEGE: 2,
    Level.HIGHER_EDUCATION: 3,
}


class Format(models.TextChoices):
    LOCAL = "local", _("Locally in the municipality")
    CAMPUS = "campus", _("On campus")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (online with gatherings)")
    WORKPLACE = "workplace", _("At the workplace")


LIST_SEPARATOR = ";"  # separates several codes in one CSV cell


def split_codes(value: str | None) -> list[str]:
    """Split a `;`-separated cell into clean, non-empty codes."""
    if not value:
        return []
    return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]
