"""What the barometer's pages show, computed once per snapshot and shared by the views and the
background refresh (which renders the most visited pages before a snapshot is made ready).

Everything here is keyed by the snapshot's version (`cache.serving_version()`), the language
and the page's parameters; nothing in it is per visitor (no CSRF token, no user), so a rendered
body can be served to everyone with the same key.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from portal import access

from . import cache, opendata, selectors, statistics
from .release import Release
from .report import Labels, build_report
from .tables import Report

MAX_SCOPES = 20


def labels(version: int, *, timeout: int = cache.TIMEOUT) -> Labels:
    def build() -> Labels:
        _division, sections = selectors.industry_sections()
        return Labels(municipalities=selectors.municipalities_in_region(),
                      areas=selectors.top_areas(), sections=sections)

    return cache.cached("labels", build, version=version, timeout=timeout)


def _has_needs(release: Release) -> bool:
    return not release.families["needs"].empty


def public_rounds(version: int, *, timeout: int = cache.TIMEOUT
                  ) -> list[tuple[int, str, bool]]:
    """(round id, label, has figures) of every round, oldest first."""
    return cache.cached("rounds", lambda: [
        (r["id"], label, _has_needs(rel))
        for r, label, rel in cache.public_releases(version)], version=version, timeout=timeout)


def default_public_round(rounds: list[tuple[int, str, bool]]) -> int | None:
    """The latest round with figures (else the latest round)."""
    with_data = [pk for pk, _label, has in rounds if has]
    return with_data[-1] if with_data else (rounds[-1][0] if rounds else None)


def public_report(*, version: int, round_id: int, municipality: str) -> Report:
    """The public figures of one round and place: built from the protected releases only."""
    history = statistics.history_until(cache.public_releases(version), round_id)
    return build_report(history=history, labels=labels(version), municipality=municipality)


def public_body(*, version: int, round_id: int, municipality: str, round_label: str,
                timeout: int = cache.TIMEOUT) -> str:
    """The public page's figures, charts and tables for one round and place."""
    names = labels(version)

    def build() -> str:
        report = public_report(version=version, round_id=round_id, municipality=municipality)
        return render_to_string("matching/barometer/_public_body.html", {
            "report": report, "round_label": round_label, "municipality": municipality,
            "municipality_name": names.municipality_name(municipality) if municipality
            else ""})

    return cache.cached("body", build, get_language(), round_id, municipality,
                        version=version, timeout=timeout)


def open_data_csv(version: int, *, timeout: int = cache.TIMEOUT) -> str:
    return cache.cached("csv", lambda: opendata.to_csv(opendata.tidy_rows(
        cache.public_releases(version))), version=version, timeout=timeout)


def open_data_rows(version: int, *, round_label: str = "", municipality: str = "",
                   timeout: int = cache.TIMEOUT) -> list[dict]:
    return cache.cached("api", lambda: list(opendata.tidy_rows(
        cache.public_releases(version), round_label=round_label, municipality=municipality)),
        round_label, municipality, version=version, timeout=timeout)


# --- the adviser's dashboard ----------------------------------------------------------------


def dashboard_key(filters: selectors.Filters) -> tuple:
    """What one dashboard depends on besides the snapshot: language, scope and filters."""
    scope = filters.municipalities
    return (get_language(), sorted(scope) if scope is not None else "all", filters.round_id,
            filters.municipality, filters.area, filters.section)


def dashboard(filters: selectors.Filters, *, version: int,
              timeout: int = cache.TIMEOUT) -> statistics.Dashboard:
    """Exact figures within the adviser's scope and filters, filtered from the snapshot's
    data (no query for the needs)."""
    return cache.cached("dashboard", lambda: statistics.adviser_dashboard(
        filters, cache.exact_data(version)), *dashboard_key(filters), version=version,
        timeout=timeout)


def dashboard_page(filters: selectors.Filters, *, version: int, query: str,
                   timeout: int = cache.TIMEOUT) -> dict:
    """The dashboard's rendered figures and tables (`query`: the filters, for the links)."""
    def build() -> dict:
        board = dashboard(filters, version=version, timeout=timeout)
        label = statistics.round_label(board.round, board.rounds) if board.round else ""
        body = render_to_string("matching/barometer/_dashboard_body.html", {
            "report": board.report, "round_label": label, "query": query,
        }) if board.round else ""
        return {"round_label": label, "body": body}

    return cache.cached("dashboard-page", build, *dashboard_key(filters), query,
                        version=version, timeout=timeout)


# --- the background refresh -----------------------------------------------------------------


def refresh() -> dict:
    """Compute the current version's snapshot and make it the one pages read: the protected
    releases, the exact data, the open data, and in every language the public page of the
    latest round for the region and each municipality and the advisers' dashboards without
    filters (county-wide, and each scope in use). Returns what it did (for the task's result
    and the benchmark)."""
    started = time.perf_counter()
    version = cache.current_version()
    keep = cache.KEEP
    try:
        releases = cache.public_releases(version, timeout=keep)
        cache.exact_data(version, timeout=keep)
        open_data_csv(version, timeout=keep)
        open_data_rows(version, timeout=keep)
        rounds = selectors.rounds()
        keys = [f"barometer:public:{version}", f"barometer:data:{version}",
                *cache.release_keys(rounds).values(),
                cache.key("csv", version=version), cache.key("api", "", "", version=version)]
        pages, scopes = 0, _scopes()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                pages += _render_for_language(version, keep, keys, scopes)
        cache.mark_ready(version, keys)
    finally:
        cache.refresh_finished(version)
    return {"version": version, "rounds": len(releases), "pages": pages,
            "seconds": round(time.perf_counter() - started, 3)}


def _render_for_language(version: int, keep: int, keys: list[str],
                         scopes: list[frozenset[str]]) -> int:
    language = get_language()
    names = labels(version, timeout=keep)
    rounds = public_rounds(version, timeout=keep)
    keys += [cache.key("labels", version=version), cache.key("rounds", version=version)]
    round_id = default_public_round(rounds)
    pages = 0
    if round_id is not None:
        label = next(label for pk, label, _has in rounds if pk == round_id)
        for code in ["", *[m["code"] for m in names.municipalities]]:
            public_body(version=version, round_id=round_id, municipality=code,
                        round_label=label, timeout=keep)
            keys.append(cache.key("body", language, round_id, code, version=version))
            pages += 1
    for scope in [None, *scopes]:
        filters = selectors.Filters(municipalities=scope)
        dashboard_page(filters, version=version, query="", timeout=keep)
        keys += [cache.key("dashboard", *dashboard_key(filters), version=version),
                 cache.key("dashboard-page", *dashboard_key(filters), "", version=version)]
        pages += 1
    return pages


def _scopes() -> list[frozenset[str]]:
    """The scoped advisers' scopes, rendered ahead too (a bounded number: a new scope's first
    view is computed from the snapshot's data anyway)."""
    return sorted(access.adviser_scopes_in_use(), key=sorted)[:MAX_SCOPES]
