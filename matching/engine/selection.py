"""Candidate generation and vectorised scoring: the top K offers for each need.

Needs are grouped by competence area; every need of a group shares the same candidate offers
(those in the same top-level area, an inverted index built once per run), so each group is
scored as dense (needs × candidates) blocks of NumPy arithmetic — never a Python loop over pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from . import text
from .data import NeedFrame, OfferFrame
from .scoring import (
    COMPONENTS,
    PRIOR_PARENT,
    PRIOR_SAME,
    PRIOR_SIBLING,
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


def select_top(needs: NeedFrame, offers: OfferFrame, settings) -> Selection:
    weights = weights_of(settings)
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
        taxonomy = taxonomy_all[cand][None, :]
        offer_vectors = offers.vectors[cand]
        o_level = offers.level[cand][None, :]
        o_format = offers.format_bit[cand][None, :]
        o_municipality = offers.municipality[cand][None, :]
        o_start = offers.start[cand][None, :]
        o_on_demand = offers.on_demand[cand][None, :]
        o_price = offers.price[cand][None, :]
        o_max = offers.max_participants[cand][None, :]
        tie = np.arange(cand.size, dtype=np.float64) * TIE_BREAK

        for start in range(0, rows_all.size, BLOCK_ROWS):
            r = rows_all[start:start + BLOCK_ROWS]
            n, m = r.size, cand.size
            pairs += n * m
            sim = text.cosine_block(need_vectors[r], offer_vectors)
            comps = [
                topic_score(taxonomy, sim),
                level_score(needs.level[r][:, None], o_level),
                format_score(needs.format_mask[r][:, None], needs.online_only[r][:, None],
                             o_format),
                None,
                timing_score(needs.earliest[r][:, None], needs.latest[r][:, None], o_start,
                             o_on_demand),
                cost_score(needs.budget[r][:, None], o_price),
                capacity_score(needs.participants[r][:, None].astype(np.float64), o_max),
            ]
            dist = distance[needs.municipality[r][:, None], o_municipality]
            comps[3] = geography_score(dist, needs.max_km[r][:, None], o_format)
            score = np.broadcast_to(combine(comps, weights), (n, m)).astype(np.float64)
            valid = comps[2] > 0
            score = np.where(valid, score, -1.0)

            ids = needs.ids[r]
            row_best = score.max(axis=1)
            counts = valid.sum(axis=1)
            for need_id, b, cnt in zip(ids.tolist(), row_best.tolist(), counts.tolist(),
                                       strict=True):
                best[need_id] = round(b, 1) if b >= 0 else None
                candidates[need_id] = cnt

            ranked = score - tie
            k = min(top_k, m)
            if m > k:
                idx = np.argpartition(-ranked, k - 1, axis=1)[:, :k]
            else:
                idx = np.broadcast_to(np.arange(m), (n, m)).copy()
            order = np.argsort(-np.take_along_axis(ranked, idx, axis=1), axis=1, kind="stable")
            idx = np.take_along_axis(idx, order, axis=1)
            chosen = np.take_along_axis(score, idx, axis=1)
            keep = chosen >= max(min_score, 0.0)
            if not keep.any():
                continue
            ri, pos = np.nonzero(keep)
            cj = idx[ri, pos]
            parts["need_ids"].append(ids[ri])
            parts["offer_ids"].append(offers.ids[cand[cj]])
            parts["scores"].append(chosen[ri, pos])
            parts["ranks"].append((pos + 1).astype(np.int32))
            parts["components"].append(np.stack(
                [np.broadcast_to(c, (n, m))[ri, cj] for c in comps], axis=1).astype(np.float32))
            parts["taxonomy"].append(taxonomy[0, cj])
            parts["text"].append(sim[ri, cj])
            parts["distance"].append(dist[ri, cj])
            parts["words"].extend(text.matched_words(
                model, need_vectors[r[ri]], offer_vectors[cj]))

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
