"""Demand pooling: cohorts of needs from different businesses that one course could serve.

`build` drafts the cohorts from the needs (the algorithm is described there); `store` turns
the drafts into rows and writes what changed."""

from __future__ import annotations

from ..models import MatchingSettings
from .build import build_drafts, jaccard, load_pool, text_tokens
from .store import CohortRebuildResult, OnDemandMinimums, cohort_values, store_cohorts


def cohorts_rebuild() -> CohortRebuildResult:
    """Rebuild all cohorts from the current needs; idempotent and deterministic."""
    rows = load_pool()
    drafts, ctx = build_drafts(rows)
    values, members = cohort_values(
        drafts, ctx,
        default_threshold=MatchingSettings.current().cohort_threshold,
        minimums=OnDemandMinimums.load(),
    )
    result = CohortRebuildResult(keys=sorted(values), cohorts=len(values))
    store_cohorts(values, members, result)
    result.opportunities = sum(1 for v in values.values() if v["is_opportunity"])
    result.needs_pooled = sum(len(m) for m in members.values())
    if result.new_opportunities:
        from ..notices import tell_providers_about_opportunities

        tell_providers_about_opportunities(keys=result.new_opportunities)
    return result


__all__ = ["CohortRebuildResult", "cohorts_rebuild", "jaccard", "text_tokens"]
