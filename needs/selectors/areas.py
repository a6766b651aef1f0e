"""Reads of competence areas (search, groups, choices) and of the courses an earlier need can
name as its outcome (split from `needs.selectors` by size)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import get_language

from portal import widgets
from portal.models import CompetenceArea

from ..models import Need

# --- competence areas --------------------------------------------------------------------

fold = widgets.fold  # the area picker's folding, so the search endpoint and the page agree


def _area_haystack(area: CompetenceArea) -> list[str]:
    return [fold(part) for part in (
        area.code, area.label_nb, area.label_nn, area.label_en, *area.synonyms.split(";")
    ) if part.strip()]


def area_search(query: str, language: str | None = None, limit: int = 30) -> list[CompetenceArea]:
    """Active areas whose code, labels (any language) or synonyms contain every word typed.

    Best first: code or label starting with the query, then other hits; a parent's hit does
    not pull in its children (the picker shows them grouped anyway)."""
    words = [w for w in fold(query).split() if w]
    areas = list(CompetenceArea.objects.filter(is_active=True).select_related("parent"))
    if not words:
        return areas[:limit]
    whole = " ".join(words)
    ranked: list[tuple[int, int, CompetenceArea]] = []
    for area in areas:
        hay = _area_haystack(area)
        if not all(any(w in h for h in hay) for w in words):
            continue
        label = fold(getattr(area, f"label_{(language or 'nb')[:2]}", "") or area.label_nb)
        if any(h == whole for h in hay):
            rank = 0
        elif label.startswith(whole) or fold(area.code).startswith(whole):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, area.sort_order, area))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [area for _, _, area in ranked[:limit]]


def area_groups(areas: list[CompetenceArea] | None = None) -> list[tuple[CompetenceArea, list]]:
    """Areas grouped under their top-level area, for `<optgroup>`s; the top area itself is
    the first choice in its group (a top-level code is accepted wherever a sub-area is)."""
    if areas is None:
        areas = list(CompetenceArea.objects.filter(is_active=True).select_related("parent"))
    tops: dict[int, tuple[CompetenceArea, list[CompetenceArea]]] = {}
    all_tops = {a.pk: a for a in areas if a.parent_id is None}
    for area in sorted(areas, key=lambda a: (a.sort_order, a.code)):
        top = area if area.parent_id is None else (all_tops.get(area.parent_id) or area.parent)
        tops.setdefault(top.pk, (top, []))[1].append(area)
    return sorted(tops.values(), key=lambda group: (group[0].sort_order, group[0].code))


def area_choice_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """`area_groups()` as (top label, [(id, label)]) in the active language, read as tuples:
    a filter's `<optgroup>`s without building a hundred areas and their parents."""
    language = (get_language() or "nb")[:2]
    column = f"label_{language}" if language in ("nb", "nn", "en") else "label_nb"
    rows = CompetenceArea.objects.filter(is_active=True).values_list(
        "pk", "code", "sort_order", "parent_id", column, "label_nb", "parent__code",
        "parent__sort_order", f"parent__{column}", "parent__label_nb")
    groups: dict[int, tuple[tuple, str, list]] = {}
    for pk, code, order, parent, label, nb, p_code, p_order, p_label, p_nb in sorted(
            rows, key=lambda row: (row[2], row[1])):
        top = (order, code, pk, label or nb) if parent is None else (
            p_order, p_code, parent, p_label or p_nb)
        groups.setdefault(top[2], (top[:2], top[3], []))[2].append((pk, label or nb))
    return [(label, items) for _key, label, items in sorted(groups.values(),
                                                            key=lambda group: group[0])]


# "Which offer met this need?" links a need to an offer: that is matching's knowledge (it also
# records the offer when a match is enrolled, via `need_mark_covered`). `needs` never imports
# `offers` or `matching`, so matching registers the picker's choices at start-up
# (`MatchingConfig.ready`); without matching the survey simply offers no list.
_outcome_offer_choices: Callable[[], list[tuple[int, str]]] = list


def _no_outcome_offers(needs: list[Need]) -> dict[int, list[tuple[int, str]]]:
    return {need.pk: [] for need in needs}


_outcome_offer_choices_for: Callable[[list[Need]], dict[int, list[tuple[int, str]]]] = (
    _no_outcome_offers)


def outcome_offer_choices_register(
    provider: Callable[[], list[tuple[int, str]]],
    per_need: Callable[[list[Need]], dict[int, list[tuple[int, str]]]] | None = None,
) -> None:
    global _outcome_offer_choices, _outcome_offer_choices_for
    _outcome_offer_choices = provider
    if per_need is not None:
        _outcome_offer_choices_for = per_need


def published_offers_choices() -> list[tuple[int, str]]:
    """(offer id, label) for the survey's "which offer met it?" picker."""
    return _outcome_offer_choices()


def outcome_offer_choices_for(needs: list[Need]) -> dict[int, list[tuple[int, str]]]:
    """The picker's choices for each of these earlier needs (only the offers of its area:
    a county's whole catalogue would put thousands of options on the page per need)."""
    return _outcome_offer_choices_for(needs)
