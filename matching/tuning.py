"""Learning the weights from the broker's decisions.

Labels: every adviser decision (approve; dismiss, with its note as the reason), every business
answer (accept; decline, with its reason) and every enrolment is a relevance label with its
time, read from the match history (MatchEvent). The strongest label of a match counts:

    enrolled 3 · accepted 2 · approved 1 · dismissed 0 · declined 0

Each match keeps its components, so the score any weights would have given it is known:
score = 100 · topic · (w_topic + Σ w_c · c), linear in the weights. The fit minimises a
pairwise logistic loss over (better, worse) label pairs of the same need, with the weights
adding up to 1 and topic at least half (the same rule as the settings page), on the older two
thirds of the needs (ordered by their latest label); nDCG@5 and hit@1 are reported on the
newer third, before (current weights) and after (fitted weights).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from .engine.scoring import COMPONENTS
from .learning import MIN_TOPIC, WEIGHT_FIELDS
from .models import Match, MatchEvent

GAIN = {Match.Status.ENROLLED: 3, Match.Status.ACCEPTED: 2, Match.Status.APPROVED: 1,
        Match.Status.DISMISSED: 0, Match.Status.DECLINED: 0}
MIN_LABELS = 30      # labelled matches needed before a result may be applied
MIN_TEST_NEEDS = 5   # needs with a ranking to judge in the newer third


@dataclass
class Label:
    need_id: int
    match_id: int
    gain: int
    at: dt.datetime
    components: np.ndarray  # COMPONENTS order


@dataclass
class TuningResult:
    labels: int
    train_needs: int
    test_needs: int
    before: dict[str, float]
    after: dict[str, float]
    figures: dict[str, float] = field(default_factory=dict)
    problem: str = ""  # why the result may not be applied ("" when it may)


def decision_labels(*, since: dt.datetime | None = None) -> list[Label]:
    """One label per decided match: its strongest decision, timed by that decision."""
    events = MatchEvent.objects.filter(to_status__in=list(GAIN)).select_related("match")
    if since is not None:
        events = events.filter(created_at__gte=since)
    best: dict[int, Label] = {}
    for event in events.order_by("created_at", "pk"):
        gain = GAIN[event.to_status]
        match = event.match
        current = best.get(match.pk)
        if current is None or gain >= current.gain:
            components = np.array([float((match.components or {}).get(n, 0.0) or 0.0)
                                   for n in COMPONENTS])
            best[match.pk] = Label(match.need_id, match.pk, gain, event.created_at, components)
    return list(best.values())


def features(components: np.ndarray) -> np.ndarray:
    """x with score = 100 · w · x: (topic, topic·level, topic·format, …)."""
    topic = components[..., :1]
    return np.concatenate([topic, topic * components[..., 1:]], axis=-1)


def _by_need(labels: list[Label]) -> dict[int, list[Label]]:
    groups: dict[int, list[Label]] = defaultdict(list)
    for label in labels:
        groups[label.need_id].append(label)
    return groups


def _rankable(groups: dict[int, list[Label]]) -> dict[int, list[Label]]:
    """Needs whose labels can say something about an order: two labels, not all equal."""
    return {k: v for k, v in groups.items() if len(v) >= 2 and len({x.gain for x in v}) > 1}


def time_split(labels: list[Label]) -> tuple[dict, dict]:
    """Needs ordered by their latest label: the older 2/3 train, the newer 1/3 test."""
    groups = _rankable(_by_need(labels))
    order = sorted(groups, key=lambda k: (max(x.at for x in groups[k]), k))
    cut = math.ceil(len(order) * 2 / 3)
    return ({k: groups[k] for k in order[:cut]}, {k: groups[k] for k in order[cut:]})


def evaluate(groups: dict[int, list[Label]], weights: np.ndarray) -> dict[str, float]:
    ndcgs, hits = [], []
    for items in groups.values():
        scores = np.array([features(x.components) @ weights for x in items])
        gains = np.array([x.gain for x in items])
        order = np.lexsort((np.arange(len(items)), -scores))
        ranked = gains[order][:5]
        ideal = np.sort(gains)[::-1][:5]
        discount = 1.0 / np.log2(np.arange(2, 7))
        dcg = float(((2.0 ** ranked - 1) * discount[:len(ranked)]).sum())
        idcg = float(((2.0 ** ideal - 1) * discount[:len(ideal)]).sum()) or 1.0
        ndcgs.append(dcg / idcg)
        hits.append(gains[order][0] == gains.max())
    n = max(len(ndcgs), 1)
    return {"ndcg5": sum(ndcgs) / n, "hit1": sum(hits) / n}


def _pairs(groups: dict[int, list[Label]]) -> tuple[np.ndarray, np.ndarray]:
    diffs, margins = [], []
    for items in groups.values():
        for a in items:
            for b in items:
                if a.gain > b.gain:
                    diffs.append(features(a.components) - features(b.components))
                    margins.append(a.gain - b.gain)
    if not diffs:
        return np.zeros((0, len(COMPONENTS))), np.zeros(0)
    return np.array(diffs), np.array(margins, dtype=float)


def fit_weights(groups: dict[int, list[Label]], start: np.ndarray) -> np.ndarray:
    """Weights (adding up to 1, topic ≥ MIN_TOPIC) minimising the pairwise logistic loss; the
    sharpness of the logistic is fitted along (a free scale)."""
    diffs, margins = _pairs(groups)
    if len(diffs) == 0:
        return start
    n = len(COMPONENTS)

    def loss(v: np.ndarray) -> float:
        w, scale = v[:n], v[n]
        z = scale * (diffs @ w)
        return float((margins * np.logaddexp(0.0, -z)).sum() / margins.sum()
                     + 1e-3 * ((w - start) ** 2).sum())

    bounds = [(MIN_TOPIC, 1.0)] + [(0.0, 1.0 - MIN_TOPIC)] * (n - 1) + [(0.1, 200.0)]
    constraints = [{"type": "eq", "fun": lambda v: v[:n].sum() - 1.0}]
    best = None
    for scale in (5.0, 20.0, 60.0):
        x0 = np.concatenate([start, [scale]])
        found = minimize(loss, x0, method="SLSQP", bounds=bounds, constraints=constraints,
                         options={"maxiter": 500, "ftol": 1e-10})
        if best is None or found.fun < best.fun:
            best = found
    w = np.clip(best.x[:n], 0.0, 1.0)
    w[0] = max(w[0], MIN_TOPIC)
    return w / w.sum()


def tune(*, current: dict[str, float], since: dt.datetime | None = None,
         labels: list[Label] | None = None) -> TuningResult:
    labels = decision_labels(since=since) if labels is None else labels
    train, test = time_split(labels)
    start = np.array([current[name] for name in WEIGHT_FIELDS], dtype=float)
    start = start / (start.sum() or 1.0)
    result = TuningResult(labels=len(labels), train_needs=len(train), test_needs=len(test),
                          before=dict(current), after=dict(current))
    if len(labels) < MIN_LABELS or len(test) < MIN_TEST_NEEDS:
        result.problem = (
            f"Too few labels to learn from: {len(labels)} decisions on {len(train) + len(test)} "
            f"needs with a ranking ({len(test)} in the newer third); at least {MIN_LABELS} "
            f"decisions and {MIN_TEST_NEEDS} needs to test on are needed.")
        return result
    fitted = fit_weights(train, start)
    result.after = {name: round(float(v), 3) for name, v in zip(WEIGHT_FIELDS, fitted,
                                                                strict=True)}
    drift = 1.0 - sum(result.after.values())  # rounding: topic absorbs it, stays valid
    result.after["weight_topic"] = round(result.after["weight_topic"] + drift, 3)
    before, after = evaluate(test, start), evaluate(test, fitted)
    result.figures = {
        "labels": len(labels), "train": len(train), "test": len(test),
        "ndcg5_before": round(before["ndcg5"], 4), "ndcg5_after": round(after["ndcg5"], 4),
        "hit1_before": round(before["hit1"], 4), "hit1_after": round(after["hit1"], 4),
    }
    return result
