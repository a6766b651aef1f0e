"""The survey's "which offer met this need?" choices, per earlier need (registered with the
needs app at start-up, `MatchingConfig.ready`). Re-exported by `matching.selectors`."""

from __future__ import annotations

from django.db.models import Q

from needs.models import Need
from offers.models import Offer
from portal.page_cache import group_version

# (area code, version of the catalogue's data) -> that area's choices. Every survey step 3 of
# every business asks for the same few lists: built once per process until an offer, a
# provider or an area changes (the page cache's "offers" version, bumped on every such write).
_choices_memo: dict[tuple[str, float], list[tuple[int, str]]] = {}
_MEMO_MAX = 500


def _fits(need_code: str, code: str) -> bool:
    """A sub-area's need: that sub-area and its main area; a main area's need: the main area
    and all its sub-areas."""
    top = need_code.split(".", 1)[0]
    return code in (need_code, top) or ("." not in need_code and code.startswith(f"{top}."))


def _area_choices(codes: set[str], version: float) -> dict[str, list[tuple[int, str]]]:
    """The published offers of each need area code, by title: one query for the codes not yet
    built for this version. (Read into a local dict first: another thread may empty the memo
    meanwhile.)"""
    found = {code: _choices_memo.get((code, version)) for code in codes}
    missing = {code for code, options in found.items() if options is None}
    if missing:
        area_filter = Q()
        for top in {code.split(".", 1)[0] for code in missing}:
            area_filter |= Q(areas__code=top) | Q(areas__code__startswith=f"{top}.")
        rows = list(
            Offer.objects.filter(area_filter, status=Offer.Status.PUBLISHED)
            .order_by("title", "pk").values_list("pk", "title", "provider__name", "areas__code")
        )
        if len(_choices_memo) + len(missing) > _MEMO_MAX:
            _choices_memo.clear()
        for need_code in missing:
            options: dict[int, str] = {}
            for pk, title, provider, code in rows:
                if pk not in options and _fits(need_code, code):
                    options[pk] = f"{title} – {provider}"
            found[need_code] = _choices_memo[need_code, version] = list(options.items())
    return found


def outcome_offer_choices_for(needs: list[Need]) -> dict[int, list[tuple[int, str]]]:
    """For each earlier need, the published offers in its area (see `_fits`), and the offer
    already recorded for it, when that is not among them (one query for all such offers;
    registered with the needs app at start-up, like `outcome_offer_choices`). The lists are
    shared between requests: read them, never change them."""
    if not needs:
        return {}
    by_code = _area_choices({need.area.code for need in needs}, group_version("offers"))
    unlisted = {need.pk: need.outcome_offer_id for need in needs
                if need.outcome_offer_id is not None
                and need.outcome_offer_id not in dict(by_code[need.area.code])}
    labels = {pk: f"{title} – {provider}" for pk, title, provider in Offer.objects.filter(
        pk__in=set(unlisted.values())).values_list("pk", "title", "provider__name")
    } if unlisted else {}
    choices = {}
    for need in needs:
        options = by_code[need.area.code]
        if unlisted.get(need.pk) in labels:
            options = [*options, (unlisted[need.pk], labels[unlisted[need.pk]])]
        choices[need.pk] = options
    return choices
