"""The weights part of the adviser's settings page: history, and applying learnt weights."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal import access

from .. import learning
from ..models import TunedWeights, WeightChange

HISTORY_ROWS = 10


def weights_context() -> dict:
    """What the settings page shows next to the weights form."""
    return {
        "tuned": TunedWeights.objects.filter(applied=False).order_by("-created_at").first(),
        "weight_history": WeightChange.objects.select_related("changed_by")[:HISTORY_ROWS],
        "weight_names": learning.WEIGHT_FIELDS,
    }


@login_required
@require_POST
def apply_tuned_weights(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    try:
        learning.tuned_weights_apply(by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, gettext(
            "The learnt weights were applied. They take effect at the next re-match."))
    return redirect("matching:settings")
