"""The match score: topic relevance gates a weighted sum of convenience, times 100.

    score = 100 · R · (w_topic + Σ_c w_c · c) / Σ w        (c over the six convenience parts)

R, the topic relevance in [0, 1], is the taxonomy prior times the text fit:

    R = prior · (FLOOR + (1 − FLOOR) · fit),   fit = clip((sim − NOISE) / (FULL − NOISE), 0, 1)

prior      1.0 same code; 0.9 an area and one of its sub-areas; 0.75 two sub-areas of the same
           area. Only offers in the need's top-level area are candidates at all (an inverted
           index by area), so the taxonomy says "which shelf", the text says "which book".
sim        text similarity (text.py): TF-IDF over normalised (nynorsk → bokmål), stemmed words
           and compound parts plus character 4-grams; the offer's title weighs more than its
           description; the need's area labels and synonyms expand the need's own words.
FLOOR      what the taxonomy alone is worth (0.3): an offer on the right shelf whose text shares
           nothing with the need has R ≤ 0.3, so its score stays below 30 — in the weak band —
           whatever distance, format, price and timing say (bands.py: strong ≥ 70, possible ≥ 40).

Convenience reorders offers of similar relevance but cannot lift an off-topic offer above an
on-topic one: with w_topic ≥ half of the weights (the settings form refuses less), the factor
in brackets lies in [0.5, 1], so an offer scores at most twice another of the same relevance,
and an offer with no text overlap (R ≤ 0.3) always stays below one with R ≥ 0.6.

The six convenience components, each in [0, 1]:
level      1 same level; 0.5 the neighbouring level; 0 further; 0.75 when the need says
           "don't know".
format     1 when the need accepts the offer's format; 0.6 for a blended offer when the need
           accepts online or local teaching; otherwise the pair is dropped (hard filter).
geography  online offers 1; else the distance d between the business's and the offer's
           municipality against the need's limit L (default 100 km): 1 − 0.5·d/L within it,
           0 beyond it; blended offers at least 0.5 (few gatherings); unknown places 0.5.
timing     1 when the offer starts inside the need's window; outside it falls linearly to 0
           over 180 days; 0.7 for on-demand offers or missing dates.
cost       1 when free, unpriced or within budget; budget/price above it; 0.7 without budget.
capacity   1 when the offer takes all participants (or has no maximum); else max/participants.

Hard filters applied before scoring (see data.py): offers that are not published, whose
application deadline has passed or that have ended; needs that are not submitted or in
brokering; formats the need refuses (here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

COMPONENTS = ("topic", "level", "format", "geography", "timing", "cost", "capacity")

LOCAL, CAMPUS, ONLINE, BLENDED, WORKPLACE = 1, 2, 4, 8, 16
FORMAT_BITS = {"local": LOCAL, "campus": CAMPUS, "online": ONLINE, "blended": BLENDED,
               "workplace": WORKPLACE}
ALL_FORMATS = LOCAL | CAMPUS | ONLINE | BLENDED | WORKPLACE

DEFAULT_TRAVEL_KM = 100.0
TIMING_DECAY_DAYS = 180.0
PRIOR_SAME, PRIOR_PARENT, PRIOR_SIBLING = 1.0, 0.9, 0.75
RELEVANCE_FLOOR = 0.3
TEXT_NOISE = 0.08   # similarity from shared common words: no evidence of the same topic
TEXT_FULL = 0.45    # similarity at which the text fully confirms the topic
NO_DATE = np.iinfo(np.int32).min  # sentinel for a missing date (days since 1970-01-01)


def weights_of(settings) -> np.ndarray:
    return np.array([getattr(settings, f"weight_{name}") for name in COMPONENTS],
                    dtype=np.float64)


def text_fit(text):
    return np.clip((text - TEXT_NOISE) / (TEXT_FULL - TEXT_NOISE), 0.0, 1.0)


def topic_score(taxonomy, text):
    """R: the taxonomy prior times the text fit (see the opening comment)."""
    return taxonomy * (RELEVANCE_FLOOR + (1.0 - RELEVANCE_FLOOR) * text_fit(text))


def level_score(need_level, offer_level):
    diff = np.abs(need_level - offer_level)
    graded = np.where(diff == 0, 1.0, np.where(diff == 1, 0.5, 0.0))
    return np.where(need_level < 0, 0.75, graded)


def format_score(need_mask, online_only, offer_bit):
    accepted = (need_mask & offer_bit) != 0
    soft = (offer_bit == BLENDED) & ((need_mask & (ONLINE | LOCAL)) != 0) & ~online_only
    return np.where(accepted, 1.0, np.where(soft, 0.6, 0.0))


def geography_score(distance_km, limit_km, offer_bit):
    unknown = np.isnan(distance_km)
    d = np.where(unknown, 0.0, distance_km)
    safe_limit = np.where(limit_km > 0, limit_km, 1.0)
    ratio = np.where(limit_km > 0, d / safe_limit, np.where(d == 0, 0.0, np.inf))
    travel = np.where(ratio <= 1.0, 1.0 - 0.5 * np.minimum(ratio, 1.0), 0.0)
    travel = np.where(unknown, 0.5, travel)
    travel = np.where(offer_bit == BLENDED, np.maximum(travel, 0.5), travel)
    return np.where(offer_bit == ONLINE, 1.0, travel)


def timing_score(earliest, latest, start, on_demand):
    no_window = (earliest == NO_DATE) & (latest == NO_DATE)
    lo = np.where(earliest == NO_DATE, np.iinfo(np.int32).min // 2, earliest).astype(np.int64)
    hi = np.where(latest == NO_DATE, np.iinfo(np.int32).max // 2, latest).astype(np.int64)
    s = start.astype(np.int64)
    gap = np.where(s < lo, lo - s, np.where(s > hi, s - hi, 0))
    graded = np.maximum(0.0, 1.0 - gap / TIMING_DECAY_DAYS)
    unknown = on_demand | (start == NO_DATE) | no_window
    return np.where(unknown, 0.7, graded)


def cost_score(budget, price):
    free = np.isnan(price) | (price <= 0)
    safe_price = np.where(free, 1.0, price)
    over = np.where(np.isnan(budget), 0.7, np.minimum(1.0, budget / safe_price))
    return np.where(free, 1.0, over)


def capacity_score(participants, max_participants):
    ratio = np.where(np.isnan(max_participants), 1.0,
                     max_participants / np.maximum(participants, 1))
    return np.minimum(1.0, ratio)


def combine(components, weights: np.ndarray):
    """components: 7 arrays (COMPONENTS order) → scores in [0, 100], relevance-gated."""
    w = weights / (weights.sum() or 1.0)
    convenience = w[0]
    for weight, part in zip(w[1:], components[1:], strict=True):
        convenience = convenience + weight * part
    return 100.0 * components[0] * convenience


# --- the plain-Python reference: the same formula, one pair at a time --------------------------


@dataclass(frozen=True)
class PairScore:
    valid: bool
    score: float
    components: dict[str, float]


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    if None in (lat1, lon1, lat2, lon2):
        return math.nan
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def score_pair_naive(need: dict, offer: dict, settings) -> PairScore:
    """One pair, in plain Python. `need`/`offer` as produced by data.NeedFrame.row/OfferFrame.row;
    `text` weights are dicts of TF-IDF features. Used by tests to check the vectorised path and
    by the benchmark as the naive all-pairs baseline."""
    taxonomy = max((taxonomy_relation(need["area"], code) for code in offer["areas"]),
                   default=0.0)
    if taxonomy == 0.0:
        return PairScore(False, 0.0, {})
    text = sum(w * offer["text"].get(f, 0.0) for f, w in need["text"].items())
    fit = min(max((text - TEXT_NOISE) / (TEXT_FULL - TEXT_NOISE), 0.0), 1.0)
    topic = taxonomy * (RELEVANCE_FLOOR + (1.0 - RELEVANCE_FLOOR) * fit)

    if need["level"] < 0:
        level = 0.75
    else:
        diff = abs(need["level"] - offer["level"])
        level = 1.0 if diff == 0 else 0.5 if diff == 1 else 0.0

    bit, mask = offer["format_bit"], need["format_mask"]
    if mask & bit:
        fmt = 1.0
    elif bit == BLENDED and mask & (ONLINE | LOCAL) and not need["online_only"]:
        fmt = 0.6
    else:
        return PairScore(False, 0.0, {})

    if bit == ONLINE:
        geography = 1.0
    else:
        d = haversine_km(need["lat"], need["lon"], offer["lat"], offer["lon"])
        limit = need["max_km"]
        if math.isnan(d):
            geography = 0.5
        elif limit > 0:
            geography = 1.0 - 0.5 * d / limit if d <= limit else 0.0
        else:
            geography = 1.0 if d == 0 else 0.0
        if bit == BLENDED:
            geography = max(geography, 0.5)

    earliest, latest, start = need["earliest"], need["latest"], offer["start"]
    if offer["on_demand"] or start == NO_DATE or (earliest == NO_DATE and latest == NO_DATE):
        timing = 0.7
    else:
        lo = earliest if earliest != NO_DATE else -(10**12)
        hi = latest if latest != NO_DATE else 10**12
        gap = lo - start if start < lo else start - hi if start > hi else 0
        timing = max(0.0, 1.0 - gap / TIMING_DECAY_DAYS)

    price, budget = offer["price"], need["budget"]
    if math.isnan(price) or price <= 0:
        cost = 1.0
    elif math.isnan(budget):
        cost = 0.7
    else:
        cost = min(1.0, budget / price)

    max_p = offer["max_participants"]
    capacity = 1.0 if math.isnan(max_p) else min(1.0, max_p / max(need["participants"], 1))

    values = dict(zip(COMPONENTS, (topic, level, fmt, geography, timing, cost, capacity),
                      strict=True))
    weights = {name: getattr(settings, f"weight_{name}") for name in COMPONENTS}
    total = sum(weights.values()) or 1.0
    convenience = (weights["topic"] + sum(weights[n] * values[n] for n in COMPONENTS[1:]))
    score = 100.0 * topic * convenience / total
    return PairScore(True, score, values)


def taxonomy_relation(need_code: str, offer_code: str) -> float:
    """The taxonomy prior: same code, area and sub-area, two sibling sub-areas, else 0."""
    if need_code == offer_code:
        return PRIOR_SAME
    need_top, offer_top = need_code.split(".")[0], offer_code.split(".")[0]
    if need_top != offer_top:
        return 0.0
    both_sub = "." in need_code and "." in offer_code
    return PRIOR_SIBLING if both_sub else PRIOR_PARENT
