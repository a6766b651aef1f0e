"""Each score component and hard filter, with expectations computed by hand."""

import math

import numpy as np
import pytest

from matching.engine import scoring
from matching.engine.scoring import BLENDED, LOCAL, NO_DATE, ONLINE, WORKPLACE


def test_topic_taxonomy_relations():
    rel = scoring.taxonomy_relation
    assert rel("skog.motorsag", "skog.motorsag") == 1.0
    assert rel("skog.motorsag", "skog") == 0.9
    assert rel("skog", "skog.motorsag") == 0.9
    assert rel("skog.motorsag", "skog.skogsmaskin") == 0.75
    assert rel("skog.motorsag", "bygg.tomrer") == 0.0


def test_relevance_is_the_taxonomy_prior_times_the_text_fit():
    topic = scoring.topic_score
    # No shared words: the taxonomy alone is worth the floor (0.3), never more.
    assert topic(np.float64(1.0), np.float64(0.0)) == pytest.approx(0.3)
    assert topic(np.float64(1.0), np.float64(scoring.TEXT_NOISE)) == pytest.approx(0.3)
    # Full text confirmation: the prior itself.
    assert topic(np.float64(0.9), np.float64(0.8)) == pytest.approx(0.9)
    # Halfway between noise and full: 0.3 + 0.7 · 0.5 = 0.65.
    half = (scoring.TEXT_NOISE + scoring.TEXT_FULL) / 2
    assert topic(np.float64(1.0), np.float64(half)) == pytest.approx(0.65)


@pytest.mark.parametrize(("need", "offer", "expected"),
                         [(0, 0, 1.0), (1, 2, 0.5), (0, 3, 0.0), (-1, 2, 0.75)])
def test_level(need, offer, expected):
    assert scoring.level_score(np.int8(need), np.int8(offer)) == expected


@pytest.mark.parametrize(("mask", "online_only", "bit", "expected"), [
    (LOCAL | WORKPLACE, False, LOCAL, 1.0),
    (LOCAL, False, BLENDED, 0.6),       # blended accepted softly by a need for local teaching
    (ONLINE, True, BLENDED, 0.0),       # online only refuses gatherings
    (WORKPLACE, False, ONLINE, 0.0),    # refused format: hard filter
])
def test_format(mask, online_only, bit, expected):
    assert scoring.format_score(np.int8(mask), np.bool_(online_only), np.int8(bit)) == expected


@pytest.mark.parametrize(("distance", "limit", "bit", "expected"), [
    (0.0, 60.0, LOCAL, 1.0),
    (30.0, 60.0, LOCAL, 0.75),          # 1 − 0.5 · 30/60
    (60.0, 60.0, LOCAL, 0.5),
    (61.0, 60.0, LOCAL, 0.0),           # beyond the limit
    (300.0, 60.0, ONLINE, 1.0),         # online always fits
    (200.0, 60.0, BLENDED, 0.5),        # few gatherings: at least 0.5
    (math.nan, 60.0, LOCAL, 0.5),       # unknown place
    (0.0, 0.0, LOCAL, 1.0),
])
def test_geography(distance, limit, bit, expected):
    assert scoring.geography_score(np.float64(distance), np.float64(limit),
                                   np.int8(bit)) == pytest.approx(expected)


@pytest.mark.parametrize(("earliest", "latest", "start", "on_demand", "expected"), [
    (100, 200, 150, False, 1.0),
    (100, 200, 10, False, 0.5),         # 90 days early: 1 − 90/180
    (100, 200, 290, False, 0.5),        # 90 days late
    (100, 200, 500, False, 0.0),
    (100, 200, 150, True, 0.7),         # on demand
    (NO_DATE, NO_DATE, 150, False, 0.7),  # no window given
    (100, NO_DATE, 400, False, 1.0),    # open-ended window
])
def test_timing(earliest, latest, start, on_demand, expected):
    result = scoring.timing_score(np.int32(earliest), np.int32(latest), np.int32(start),
                                  np.bool_(on_demand))
    assert result == pytest.approx(expected)


@pytest.mark.parametrize(("budget", "price", "expected"), [
    (5000, 4000, 1.0), (2000, 4000, 0.5), (math.nan, 4000, 0.7), (1000, 0, 1.0),
    (math.nan, math.nan, 1.0),
])
def test_cost(budget, price, expected):
    assert scoring.cost_score(np.float64(budget), np.float64(price)) == pytest.approx(expected)


@pytest.mark.parametrize(("participants", "max_p", "expected"),
                         [(4, 12, 1.0), (20, 10, 0.5), (5, math.nan, 1.0)])
def test_capacity(participants, max_p, expected):
    assert scoring.capacity_score(np.float64(participants), np.float64(max_p)) == expected


class Weights:
    weight_topic, weight_level, weight_format, weight_geography = 0.55, 0.1, 0.05, 0.1
    weight_timing, weight_cost, weight_capacity = 0.1, 0.05, 0.05


def test_relevance_gates_the_weighted_sum_of_convenience():
    comps = np.array([0.8, 0.5, 1.0, 0.75, 1.0, 0.6, 1.0])[:, None, None]
    convenience = 0.55 + 0.05 + 0.05 + 0.075 + 0.1 + 0.03 + 0.05
    expected = 100 * 0.8 * convenience
    assert scoring.combine(list(comps), scoring.weights_of(Weights))[0, 0] == \
        pytest.approx(expected)


def test_convenience_never_lifts_an_off_topic_offer_above_an_on_topic_one():
    weights = scoring.weights_of(Weights)
    off_topic_next_door = [scoring.topic_score(1.0, 0.0), 1, 1, 1, 1, 1, 1]
    on_topic_far_and_dear = [scoring.topic_score(1.0, 0.5), 0, 0.6, 0, 0, 0, 0]
    off = scoring.combine(off_topic_next_door, weights)
    on = scoring.combine(on_topic_far_and_dear, weights)
    assert off < 40 <= on
