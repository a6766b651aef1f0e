"""Helpers shared by the matching pages."""

from __future__ import annotations

from django.utils.translation import get_language

from ..models import Match


def explain(match: Match) -> str:
    """The match's reasons in the reader's language (the engine renders them)."""
    try:
        from ..engine.explain import render_reasons
    except ImportError:  # the engine is not installed on this branch yet
        return " · ".join(str(r.get("code", r)) if isinstance(r, dict) else str(r)
                          for r in match.reasons or [])
    rendered = render_reasons(match.reasons or [], (get_language() or "nb")[:2])
    if isinstance(rendered, list | tuple):
        return " · ".join(str(part) for part in rendered)
    return str(rendered)


def csv_safe(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a quote."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def offer_url(offer_id: int) -> str:
    """The catalogue page of an offer, or "" while the offers app has no detail page."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("offers:detail", args=[offer_id])
    except NoReverseMatch:
        return ""


def status_label(value: str) -> str:
    return str(dict(Match.Status.choices).get(value, value or "–"))


def with_level_label(cohort):
    """Cohort.level is a plain code; attach its readable label for the templates."""
    from portal.choices import Level

    cohort.level_label = Level(cohort.level).label if cohort.level in Level.values else ""
    return cohort
