"""Candidate generation and vectorised scoring: the top K offers for each need.

Needs are grouped by competence area; every need of a group shares the same candidate offers
(those in the same top-level area, an inverted index built once per run), so each group is
scored as dense (needs × candidates) blocks of NumPy arithmetic — never a Python loop over pairs.

Each block is scored twice. A fast pass computes every pair's score in float32 with the
level/format part read from one precomputed table and the rest in a few in-place passes;
it only chooses, per need, the pairs within SELECT_MARGIN of the K-th best. Those few pairs
(K and the ties around it) are then scored again by the scorer's own float64 functions, so
the stored scores, components and the order (ties: the older offer first) are exactly what
scoring every pair with them gives (tests/matching/test_engine.py checks against the plain
Python reference).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from . import text
from .data import LEVEL_INDEX, NeedFrame, OfferFrame
from .scoring import (
    ALL_FORMATS,
    BLENDED,
    COMPONENTS,
    NO_DATE,
    ONLINE,
    PRIOR_PARENT,
    PRIOR_SAME,
    PRIOR_SIBLING,
    TIMING_DECAY_DAYS,
    capacity_score,
    combine,
    cost_score,
    format_score,
    geography_score,
    level_score,
    timing_score,
    topic_score,
    weights_of,
)

BLOCK_ROWS = 2048
TIE_BREAK = 1e-7  # equal scores: the older offer (lower id) ranks first, so runs are repeatable


@dataclass
class Selection:
    need_ids: np.ndarray      # one entry per kept pair
    offer_ids: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    components: np.ndarray    # (pairs, 7) in COMPONENTS order
    taxonomy: np.ndarray
    text: np.ndarray
    distance: np.ndarray
    words: list[tuple[str, ...]]  # per kept pair: the words need and offer share
    best: dict[int, float | None]
    candidates: dict[int, int]
    pairs_considered: int


def taxonomy_vector(code: str, offers: OfferFrame) -> np.ndarray:
    """The relation of a need's area to every offer (max over each offer's areas)."""
    result = np.zeros(len(offers), dtype=np.float32)
    top_id = offers.code_ids.get(code.split(".")[0])
    if top_id is None or not code:
        return result
    code_id = offers.code_ids.get(code, -1)
    is_sub = "." in code
    same_top = offers.flat_top == top_id
    relation = np.where(
        offers.flat_code == code_id, PRIOR_SAME,
        np.where(same_top, np.where(offers.flat_sub & is_sub, PRIOR_SIBLING, PRIOR_PARENT),
                 0.0),
    ).astype(np.float32)
    np.maximum.at(result, offers.flat_offer, relation)
    return result


LEVELS = len(LEVEL_INDEX) + 1        # level index + 1: 0 = "don't know"/none
FORMAT_KEYS = ALL_FORMATS + 1        # format masks and bits are below 32
SELECT_MARGIN = 0.01  # the fast float32 score is within this of the exact one (0–100 scale)


def _level_format_table(weights: np.ndarray) -> np.ndarray:
    return _table(tuple(float(x) for x in weights))


@lru_cache(maxsize=16)
def _table(weights_key: tuple[float, ...]) -> np.ndarray:
    """w_level · level + w_format · format for every (need level, online only, format mask) ×
    (offer level, offer format); −inf where the format is refused (the pair is invalid).
    Built with the scorer's own functions, so the fast pass agrees with them."""
    weights = np.array(weights_key, dtype=np.float64)
    w = weights / (weights.sum() or 1.0)
    need_level = np.arange(LEVELS)[:, None, None] - 1
    online_only = np.array([False, True])[None, :, None]
    mask = np.arange(FORMAT_KEYS)[None, None, :]
    offer_level = np.arange(LEVELS)[:, None] - 1
    offer_bit = np.arange(FORMAT_KEYS)[None, :]
    level = level_score(need_level.reshape(-1, 1, 1, 1, 1), offer_level[None, None, None])
    fmt = format_score(mask.reshape(1, 1, -1, 1, 1), online_only.reshape(1, 2, 1, 1, 1),
                       offer_bit[None, None, None])
    part = np.where(fmt > 0, w[1] * level + w[2] * fmt, -np.inf)
    return part.reshape(LEVELS * 2 * FORMAT_KEYS, LEVELS * FORMAT_KEYS).astype(np.float32)


@dataclass
class _Group:
    """One area's candidate offers, as the columns the fast pass reads."""

    cand: np.ndarray
    taxonomy: np.ndarray
    vectors: object
    key: np.ndarray        # offer level and format, the column of the level/format table
    municipality: np.ndarray
    start: np.ndarray      # day number; 0 where unknown (those columns are 0.7 anyway)
    timing_unknown: np.ndarray
    inv_price: np.ndarray  # 1/price; inf when free or unpriced
    free: np.ndarray
    max_participants: np.ndarray  # inf without a maximum
    bit: np.ndarray
    online: np.ndarray
    blended: np.ndarray


def _group(offers: OfferFrame, cand: np.ndarray, taxonomy: np.ndarray) -> _Group:
    price = offers.price[cand]
    free = np.isnan(price) | (price <= 0)
    start = offers.start[cand]
    bit = offers.format_bit[cand]
    with np.errstate(divide="ignore"):
        inv_price = np.where(free, np.inf, 1.0 / np.where(free, 1.0, price))
    return _Group(
        cand=cand, taxonomy=taxonomy, vectors=offers.vectors[cand],
        key=((offers.level[cand].astype(np.int32) + 1) * FORMAT_KEYS + bit).astype(np.intp),
        municipality=offers.municipality[cand], start=np.where(start == NO_DATE, 0, start),
        timing_unknown=offers.on_demand[cand] | (start == NO_DATE),
        inv_price=inv_price.astype(np.float32), free=free,
        max_participants=np.nan_to_num(offers.max_participants[cand], nan=np.inf
                                       ).astype(np.float32),
        bit=bit, online=bit == ONLINE, blended=bit == BLENDED)


def _fast_scores(needs: NeedFrame, r: np.ndarray, g: _Group, sim: np.ndarray, table,
                 w: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """Every pair's score in float32 (−inf when invalid), for choosing the top K: the same
    formula as `combine`, written as few passes over the block as possible."""
    need_key = ((needs.level[r].astype(np.int32) + 1) * 2 + needs.online_only[r]) \
        * FORMAT_KEYS + needs.format_mask[r]
    total = table[need_key.astype(np.intp)[:, None], g.key[None, :]]
    total += np.float32(w[0])
    # geography: 1 − 0.5·d/L within the limit, 0 beyond; unknown places 0.5; blended ≥ 0.5;
    # online 1. A zero limit (online only) keeps the scorer's own function.
    limit = needs.max_km[r]
    ratio = distance[needs.municipality[r][:, None], g.municipality[None, :]]
    ratio *= (1.0 / np.where(limit > 0, limit, 1.0)).astype(np.float32)[:, None]
    geo = np.float32(1.0) - np.float32(0.5) * ratio
    geo[ratio > 1.0] = 0.0
    np.nan_to_num(geo, copy=False, nan=0.5)
    if g.blended.any():
        geo[:, g.blended] = np.maximum(geo[:, g.blended], 0.5)
    geo[:, g.online] = 1.0
    zero = np.nonzero(limit <= 0)[0]
    if zero.size:
        geo[zero] = geography_score(
            distance[needs.municipality[r[zero]][:, None], g.municipality[None, :]],
            limit[zero][:, None], g.bit[None, :])
    total += np.float32(w[3]) * geo
    # timing: days outside the window, falling to 0 over TIMING_DECAY_DAYS.
    earliest, latest = needs.earliest[r], needs.latest[r]
    lo = np.where(earliest == NO_DATE, -(2 ** 30), earliest).astype(np.int32)[:, None]
    hi = np.where(latest == NO_DATE, 2 ** 30, latest).astype(np.int32)[:, None]
    early = lo - g.start[None, :]
    gap = np.where(early > 0, early, np.maximum(g.start[None, :] - hi, 0)).astype(np.float32)
    timing = np.maximum(np.float32(1.0) - gap * np.float32(1.0 / TIMING_DECAY_DAYS), 0.0)
    timing[:, g.timing_unknown] = 0.7
    timing[(earliest == NO_DATE) & (latest == NO_DATE)] = 0.7
    total += np.float32(w[4]) * timing
    # cost: budget/price up to 1; free 1; no budget 0.7.
    budget = needs.budget[r]
    with np.errstate(invalid="ignore"):  # a zero budget × a free offer: set to 1 below
        cost = np.minimum(np.nan_to_num(budget, nan=0.0).astype(np.float32)[:, None]
                          * g.inv_price[None, :], 1.0)
    cost[np.isnan(budget)] = 0.7
    cost[:, g.free] = 1.0
    total += np.float32(w[5]) * cost
    # capacity: places/participants up to 1.
    per_person = (1.0 / np.maximum(needs.participants[r], 1)).astype(np.float32)
    total += np.float32(w[6]) * np.minimum(per_person[:, None] * g.max_participants[None, :],
                                           1.0)
    topic = topic_score(g.taxonomy[None, :], sim)
    total *= np.float32(100.0) * topic
    return total


def _exact(needs: NeedFrame, offers: OfferFrame, r, ri, g: _Group, cj, sim_pairs, weights,
           distance):
    """The scorer's own functions on the chosen pairs only: the stored scores and components
    are exactly what scoring every pair in float64 gives."""
    o = g.cand[cj]
    i = r[ri]
    dist = distance[needs.municipality[i], offers.municipality[o]]
    comps = [
        topic_score(g.taxonomy[cj], sim_pairs),
        level_score(needs.level[i], offers.level[o]),
        format_score(needs.format_mask[i], needs.online_only[i], offers.format_bit[o]),
        geography_score(dist, needs.max_km[i], offers.format_bit[o]),
        timing_score(needs.earliest[i], needs.latest[i], offers.start[o], offers.on_demand[o]),
        cost_score(needs.budget[i], offers.price[o]),
        capacity_score(needs.participants[i].astype(np.float64), offers.max_participants[o]),
    ]
    score = np.asarray(combine(comps, weights), dtype=np.float64)
    return np.where(comps[2] > 0, score, -1.0), comps, dist


def select_top(needs: NeedFrame, offers: OfferFrame, settings) -> Selection:
    weights = weights_of(settings)
    w = weights / (weights.sum() or 1.0)
    table = _level_format_table(weights)
    top_k, min_score = int(settings.top_k), float(settings.min_score)
    distance = offers.municipalities.distance
    model = offers.vectoriser
    need_vectors = model.need_vectors(needs.texts, needs.expansions) if len(needs) else None

    groups: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(needs.area):
        groups[code].append(i)

    parts: dict[str, list[np.ndarray]] = defaultdict(list)
    best: dict[int, float | None] = {}
    candidates: dict[int, int] = {}
    pairs = 0
    for code in sorted(groups):
        rows_all = np.array(groups[code], dtype=np.int64)
        taxonomy_all = taxonomy_vector(code, offers)
        cand = np.nonzero(taxonomy_all)[0]
        if cand.size == 0:
            for i in rows_all:
                best[int(needs.ids[i])] = None
                candidates[int(needs.ids[i])] = 0
            continue
        # The candidates' columns depend on the offer frame only (one set per top-level
        # area), so they are kept with it: the next need of the area reuses them.
        top = code.split(".")[0]
        shared = offers.groups.get(top)
        if shared is None or not np.array_equal(shared.cand, cand):
            shared = offers.groups[top] = _group(offers, cand, taxonomy_all[cand])
        g = replace(shared, taxonomy=taxonomy_all[cand])
        tie = np.arange(cand.size, dtype=np.float64) * TIE_BREAK

        for start in range(0, rows_all.size, BLOCK_ROWS):
            r = rows_all[start:start + BLOCK_ROWS]
            n, m = r.size, cand.size
            pairs += n * m
            sim = text.cosine_block(need_vectors[r], g.vectors)
            fast = _fast_scores(needs, r, g, sim, table, w, distance)
            valid = fast > -np.inf
            ids = needs.ids[r]
            counts = valid.sum(axis=1)
            k = min(top_k, m)
            # Pairs within the margin of each need's K-th fast score: the exact top K is
            # among them (ties included), whatever float32 rounding did.
            kth = -np.partition(-fast, k - 1, axis=1)[:, k - 1] if m > k else \
                np.full(n, -np.inf, dtype=np.float32)
            ri, cj = np.nonzero(valid & (fast >= (kth - SELECT_MARGIN)[:, None]))
            score, comps, dist = _exact(needs, offers, r, ri, g, cj, sim[ri, cj], weights,
                                        distance)
            order = np.lexsort((-(score - tie[cj]), ri))
            ri, cj, score = ri[order], cj[order], score[order]
            comps = [np.broadcast_to(c, score.shape)[order] for c in comps]
            dist = np.broadcast_to(dist, score.shape)[order]
            first = np.searchsorted(ri, np.arange(n))
            pos = np.arange(ri.size) - first[ri]
            has = np.zeros(n, dtype=bool)
            has[ri] = True
            row_best = np.full(n, -1.0)
            row_best[ri[pos == 0]] = score[pos == 0]
            for need_id, b, cnt, h in zip(ids.tolist(), row_best.tolist(), counts.tolist(),
                                          has.tolist(), strict=True):
                best[need_id] = round(b, 1) if h and b >= 0 else None
                candidates[need_id] = cnt
            keep = (pos < k) & (score >= max(min_score, 0.0))
            if not keep.any():
                continue
            ri, cj, pos, score = ri[keep], cj[keep], pos[keep], score[keep]
            parts["need_ids"].append(ids[ri])
            parts["offer_ids"].append(offers.ids[cand[cj]])
            parts["scores"].append(score)
            parts["ranks"].append((pos + 1).astype(np.int32))
            parts["components"].append(np.stack([c[keep] for c in comps], axis=1
                                                 ).astype(np.float32))
            parts["taxonomy"].append(g.taxonomy[cj])
            parts["text"].append(sim[ri, cj])
            parts["distance"].append(dist[keep])
            parts["words"].extend(text.matched_words(
                model, need_vectors[r[ri]], g.vectors[cj]))

    def cat(name, dtype):
        return np.concatenate(parts[name]).astype(dtype) if parts[name] else np.zeros(0, dtype)

    return Selection(
        need_ids=cat("need_ids", np.int64), offer_ids=cat("offer_ids", np.int64),
        scores=cat("scores", np.float64), ranks=cat("ranks", np.int32),
        components=(np.concatenate(parts["components"]) if parts["components"]
                    else np.zeros((0, len(COMPONENTS)), np.float32)),
        taxonomy=cat("taxonomy", np.float32), text=cat("text", np.float32),
        distance=cat("distance", np.float32), words=parts["words"], best=best,
        candidates=candidates,
        pairs_considered=pairs,
    )
