"""The matching engine: explainable need–offer scores, computed in bulk.

Public functions (tasks, commands and the benchmark call these):
`match_need`, `match_needs`, `match_offer`, `retire_need`, `needs_due_for_matching`,
`offers_due_for_matching`, `score_pairs`, `score_pair_naive`, `render_reasons`.
"""

from .explain import render_reasons
from .run import (
    MatchRunResult,
    match_need,
    match_needs,
    match_offer,
    needs_due_for_matching,
    offers_due_for_matching,
    retire_need,
    score_pairs,
)
from .scoring import COMPONENTS, PairScore, score_pair_naive

__all__ = [
    "COMPONENTS", "MatchRunResult", "PairScore", "match_need", "match_needs", "match_offer",
    "needs_due_for_matching", "offers_due_for_matching", "render_reasons", "retire_need",
    "score_pair_naive", "score_pairs",
]
