"""Weights: which combinations are valid, applying a change with its history, and learning
weights from the broker's decisions (`tune_weights`).

Every adviser decision and business answer is a relevance label with its time (labels.py
reads them); `tune_weights` fits the weights on the older two thirds and reports nDCG@5 and
hit@1 on the newer third before and after (tuning.py).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import User

from .engine.scoring import COMPONENTS
from .models import MatchingSettings, TunedWeights, WeightChange

WEIGHT_FIELDS = [f"weight_{name}" for name in COMPONENTS]
MIN_TOPIC = 0.5     # topic must carry at least half: relevance gates the rest (scoring.py)
SUM_TOLERANCE = 0.005


def weights_problems(weights: dict[str, float | None]) -> dict[str, str]:
    """Field name → message for a combination the engine cannot use; {} when it is valid.
    ("__all__" holds what concerns the combination as a whole.)"""
    problems: dict[str, str] = {}
    values = {name: weights.get(name) for name in WEIGHT_FIELDS}
    for name, value in values.items():
        if value is None:
            continue
        if value < 0 or value > 1:
            problems[name] = _("A weight lies between 0 and 1.")
    if problems or any(v is None for v in values.values()):
        return problems
    total = sum(values.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        message = _("The weights add up to %(total)s; they must add up to 1.00.") % {
            "total": f"{total:.2f}".replace(".", ",") if _decimal_comma() else f"{total:.2f}"}
        problems["__all__"] = message
        problems["weight_topic"] = message
    elif values["weight_topic"] < MIN_TOPIC - 1e-9:
        problems["weight_topic"] = _(
            "Topic must carry at least half of the score (0.50 or more), so that distance, "
            "price or timing can never lift an offer that is off topic.")
    return problems


def _decimal_comma() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "nb")[:2] in {"nb", "nn", "no"}


def current_weights(row: MatchingSettings | None = None) -> dict[str, float]:
    row = row or MatchingSettings.current()
    return {name: float(getattr(row, name)) for name in WEIGHT_FIELDS}


def weights_apply(*, weights: dict[str, float],
                  by: User | None = None,  # None: `tune_weights --apply` on the command line
                  source: str = WeightChange.Source.PAGE,
                  figures: dict[str, Any] | None = None) -> MatchingSettings:
    """Store a valid weight combination and keep the change (who, when, the figures)."""
    from django.core.exceptions import ValidationError

    problems = weights_problems(weights)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row = MatchingSettings.objects.select_for_update().get(pk=MatchingSettings.current().pk)
        before = current_weights(row)
        after = {name: round(float(weights[name]), 4) for name in WEIGHT_FIELDS}
        if before != after:
            for name, value in after.items():
                setattr(row, name, value)
            row.save()
            WeightChange.objects.create(changed_by=by, source=source, before=before,
                                        after=after, figures=figures or {})
    return row


def tuned_weights_apply(*, by: User | None) -> MatchingSettings:
    """Apply the latest `tune_weights` result (from the settings page; `by` is None from the
    command line, where no user acts)."""
    from django.core.exceptions import ValidationError

    tuned = TunedWeights.objects.filter(applied=False).order_by("-created_at").first()
    if tuned is None:
        raise ValidationError(_("There is no new result from tune_weights to apply."))
    with transaction.atomic():
        row = weights_apply(weights=tuned.weights, by=by, source=WeightChange.Source.TUNED,
                            figures=tuned.figures)
        TunedWeights.objects.filter(pk=tuned.pk).update(applied=True)
    return row
