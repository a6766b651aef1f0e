"""Helpers shared by the matching pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language

from portal.choices import Level
from portal.spreadsheets import escape_cell

from ..engine.explain import render_reasons
from ..models import Match


def explain(match: Match) -> str:
    """The match's reasons in the reader's language (the engine renders them)."""
    return explain_reasons(match.reasons, (get_language() or "nb")[:2])


def explain_reasons(reasons: list | None, language: str) -> str:
    """A match's stored reasons in `language` (two letters), as `explain` writes them."""
    return " · ".join(render_reasons(reasons or [], language))


def csv_safe(value) -> str:
    """A CSV cell as text, neutralised if a spreadsheet would run it as a formula."""
    return str(escape_cell("" if value is None else str(value)))


def offer_url(offer_id: int) -> str:
    """The catalogue page of an offer."""
    return reverse("offers:detail", args=[offer_id])


def status_label(value: str) -> str:
    return str(dict(Match.Status.choices).get(value, value or "–"))


def with_level_label(cohort):
    """Cohort.level is a plain code; attach its readable label for the templates."""
    cohort.level_label = Level(cohort.level).label if cohort.level in Level.values else ""
    return cohort
