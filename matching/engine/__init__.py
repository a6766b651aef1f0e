"""The matching engine: explainable need–offer scores, computed in bulk.

Public functions (tasks, commands and the benchmark call these): `match_need`, `match_needs`,
`match_offer`, `retire_need`, `finish_full_run`, `matchable_need_ids`, `needs_due_for_matching`,
`offers_due_for_matching`, `score_pairs`, `score_pair_naive`, `render_reasons`,
`match_nightly` (the incremental night), `nightly_plan`.
"""

from .explain import render_reasons
from .nightly import match_nightly, nightly_plan
from .run import (
    MatchRunResult,
    finish_full_run,
    match_need,
    match_needs,
    match_offer,
    matchable_need_ids,
    needs_due_for_matching,
    offers_due_for_matching,
    retire_need,
    score_pairs,
)
from .scoring import COMPONENTS, PairScore, score_pair_naive

__all__ = [
    "COMPONENTS", "MatchRunResult", "PairScore", "finish_full_run", "match_need", "match_needs",
    "match_nightly", "match_offer", "matchable_need_ids", "needs_due_for_matching",
    "nightly_plan", "offers_due_for_matching",
    "render_reasons", "retire_need", "score_pair_naive", "score_pairs",
]
