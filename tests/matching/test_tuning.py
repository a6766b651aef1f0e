"""tune_weights: labels from decisions, a time-ordered split, weights recovered from a
synthetic label set, refused with too few labels, applied from the settings page."""

import datetime as dt
import io

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from matching import learning, tuning
from matching.engine.scoring import COMPONENTS
from matching.models import Match, MatchEvent, MatchingSettings, TunedWeights, WeightChange
from tests import factories

TRUE = {"weight_topic": 0.6, "weight_level": 0.04, "weight_format": 0.04,
        "weight_geography": 0.18, "weight_timing": 0.04, "weight_cost": 0.06,
        "weight_capacity": 0.04}
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def synthetic_labels(weights: dict[str, float], needs: int = 240, offers: int = 6,
                     seed: int = 3) -> list[tuning.Label]:
    """Needs whose decisions follow the scores `weights` give: the best offer accepted, the
    second approved, the rest dismissed."""
    rng = np.random.default_rng(seed)
    w = np.array([weights[n] for n in learning.WEIGHT_FIELDS])
    labels, match_id = [], 0
    for need in range(needs):
        comps = rng.uniform(0.0, 1.0, size=(offers, len(COMPONENTS)))
        comps[:, 0] = rng.uniform(0.6, 1.0, size=offers)
        order = np.argsort(-(tuning.features(comps) @ w))
        gains = np.zeros(offers, dtype=int)
        gains[order[0]], gains[order[1]] = 2, 1
        for j in range(offers):
            match_id += 1
            labels.append(tuning.Label(need, match_id, int(gains[j]),
                                       START + dt.timedelta(hours=need), comps[j]))
    return labels


def test_tuning_recovers_known_weights_from_a_synthetic_label_set():
    defaults = {name: MatchingSettings._meta.get_field(name).default
                for name in learning.WEIGHT_FIELDS}
    result = tuning.tune(current=defaults, labels=synthetic_labels(TRUE))
    assert not result.problem
    assert result.train_needs == 160 and result.test_needs == 80  # older 2/3, newer 1/3
    for name, value in TRUE.items():
        assert result.after[name] == pytest.approx(value, abs=0.05), name
    assert not learning.weights_problems(result.after)
    assert result.figures["ndcg5_after"] >= result.figures["ndcg5_before"]
    assert result.figures["hit1_after"] > 0.9


def test_the_split_is_by_time_newer_needs_are_the_test_part():
    labels = synthetic_labels(TRUE, needs=30)
    train, test = tuning.time_split(labels)
    newest_train = max(x.at for items in train.values() for x in items)
    assert all(x.at > newest_train for items in test.values() for x in items)


@pytest.mark.django_db
def test_tune_weights_refuses_with_too_few_labels():
    match = factories.MatchFactory(status=Match.Status.APPROVED)
    MatchEvent.objects.create(match=match, from_status="suggested", to_status="approved")
    with pytest.raises(CommandError, match="Too few labels"):
        call_command("tune_weights", stdout=io.StringIO())
    assert not TunedWeights.objects.exists()
    assert MatchingSettings.current().weight_topic == 0.55


def _decided_matches(count: int) -> None:
    """Needs with three equally on-topic offers each; the advisers approved the nearest one
    (geography decides) and dismissed the others, the business accepted it."""
    rng = np.random.default_rng(5)
    for _ in range(count):
        need = factories.NeedFactory()
        for rank in range(3):
            comps = dict(zip(COMPONENTS, [0.9, *rng.uniform(0.3, 1.0, 6).round(3)],
                             strict=True))
            comps["geography"] = [1.0, 0.3, 0.1][rank]
            match = factories.MatchFactory(need=need, components=comps, score=50, rank=rank + 1)
            if rank == 0:
                MatchEvent.objects.create(match=match, from_status="suggested",
                                          to_status="approved")
                MatchEvent.objects.create(match=match, from_status="proposed",
                                          to_status="accepted")
            else:
                MatchEvent.objects.create(match=match, from_status="suggested",
                                          to_status="dismissed", note="Ikke relevant")


@pytest.mark.django_db
def test_tune_weights_offers_a_result_an_adviser_applies_with_history(adviser_client):
    _decided_matches(18)
    out = io.StringIO()
    call_command("tune_weights", "--dry-run", stdout=out)
    assert "nDCG@5" in out.getvalue() and not TunedWeights.objects.exists()
    call_command("tune_weights", stdout=io.StringIO())
    tuned = TunedWeights.objects.get()
    assert not learning.weights_problems(tuned.weights)
    assert tuned.weights["weight_geography"] > MatchingSettings.current().weight_geography
    page = adviser_client.get(reverse("matching:settings"))
    assert b'id="apply-tuned-form"' in page.content
    response = adviser_client.post(reverse("matching:apply_tuned_weights"))
    assert response.status_code == 302
    row = MatchingSettings.current()
    assert learning.current_weights(row) == pytest.approx(tuned.weights)
    change = WeightChange.objects.get()
    assert change.source == WeightChange.Source.TUNED and change.changed_by is not None
    assert change.figures["labels"] == tuned.figures["labels"]
    # Nothing left to apply: a clear message, no change.
    adviser_client.post(reverse("matching:apply_tuned_weights"))
    assert WeightChange.objects.count() == 1


@pytest.mark.django_db
def test_tune_weights_rejects_a_bad_since_date():
    with pytest.raises(CommandError, match="not a date"):
        call_command("tune_weights", "--since", "i går", stdout=io.StringIO())
