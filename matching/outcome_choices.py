"""The survey's "which offer met this need?" choices, per earlier need (registered with the
needs app at start-up, `MatchingConfig.ready`). Re-exported by `matching.selectors`."""

from __future__ import annotations

from django.db.models import Q

from needs.models import Need
from offers.models import Offer


def outcome_offer_choices_for(needs: list[Need]) -> dict[int, list[tuple[int, str]]]:
    """For each earlier need, the published offers in its area (a sub-area's need: that
    sub-area and its main area; a main area's need: the main area and all its sub-areas), and
    the offer already recorded for it. One query for all the needs (registered with the needs
    app at start-up, like `outcome_offer_choices`)."""
    if not needs:
        return {}

    def fits(need: Need, code: str) -> bool:
        mine = need.area.code
        top = mine.split(".", 1)[0]
        return code in (mine, top) or ("." not in mine and code.startswith(f"{top}."))

    area_filter = Q()
    for top in {need.area.code.split(".", 1)[0] for need in needs}:
        area_filter |= Q(areas__code=top) | Q(areas__code__startswith=f"{top}.")
    rows = list(
        Offer.objects.filter(area_filter, status=Offer.Status.PUBLISHED)
        .order_by("title", "pk").values_list("pk", "title", "provider__name", "areas__code")
    )
    choices = {}
    for need in needs:
        options = {pk: f"{title} – {provider}" for pk, title, provider, code in rows
                   if fits(need, code)}
        chosen = need.outcome_offer
        if chosen is not None and chosen.pk not in options:
            options[chosen.pk] = f"{chosen.title} – {chosen.provider.name}"
        choices[need.pk] = list(options.items())
    return choices
