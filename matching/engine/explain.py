"""Why a match scored as it did: reasons stored as language-neutral codes, rendered on display.

Stored: `[{"code": "same_subarea"}, {"code": "words", "words": ["motorsag", "felling"]},
{"code": "too_far", "km": 120, "limit": 60, "municipality": "4022"},
{"code": "over_budget", "over": 3500}]`. Shown in the reader's language, what fits first and
then what does not: "Same sub-area · Matches: motorsag, felling · Does not fit: 3 500 kr over
the budget · 120 km, limit 60 km". The codes depend only on the pair's data, so re-scoring
the same pair gives the same explanation.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from django.utils import formats, translation
from django.utils.translation import gettext as _

from .scoring import ONLINE, TEXT_NOISE

# Reason codes that say something does not fit (shown after "Does not fit:").
MISFITS = frozenset({"no_shared_words", "other_level", "near_level", "too_far",
                     "starts_outside_window", "over_budget", "too_few_places"})


def reasons_for(*, need_area: str, taxonomy: float, text: float, words: tuple[str, ...],
                level: float, online: bool, distance_km: float, limit_km: float,
                municipality: str, geography: float, timing: float, on_demand: bool,
                over_budget: float, capacity_places: float, participants: int) -> list[dict]:
    reasons: list[dict] = []
    if taxonomy >= 1.0:
        code = "same_subarea" if "." in need_area else "same_area"
    elif taxonomy >= 0.8:
        code = "parent_area"
    else:
        code = "sibling_area"
    reasons.append({"code": code, "area": need_area} if need_area else {"code": code})
    if words:
        reasons.append({"code": "words", "words": list(words)})
    if text <= TEXT_NOISE:
        reasons.append({"code": "no_shared_words"})
    if level >= 1.0:
        reasons.append({"code": "same_level"})
    elif level == 0.5:
        reasons.append({"code": "near_level"})
    elif level == 0.0:
        reasons.append({"code": "other_level"})
    if online:
        reasons.append({"code": "online"})
    elif not math.isnan(distance_km):
        if geography > 0:
            reasons.append({"code": "distance_km", "km": int(round(distance_km)),
                            "municipality": municipality})
        else:
            reasons.append({"code": "too_far", "km": int(round(distance_km)),
                            "limit": int(round(limit_km)), "municipality": municipality})
    if on_demand:
        reasons.append({"code": "on_demand"})
    elif timing >= 1.0:
        reasons.append({"code": "starts_in_window"})
    elif timing < 0.7:
        reasons.append({"code": "starts_outside_window"})
    if over_budget > 0:
        reasons.append({"code": "over_budget", "over": int(round(over_budget))})
    if not math.isnan(capacity_places) and capacity_places < participants:
        reasons.append({"code": "too_few_places", "places": int(capacity_places),
                        "participants": int(participants)})
    return reasons


@lru_cache(maxsize=500_000)
def _reasons_json(*args) -> str:
    keys = ("need_area", "taxonomy", "text", "words", "level", "online", "distance_km",
            "limit_km", "municipality", "geography", "timing", "on_demand", "over_budget",
            "capacity_places", "participants")
    return json.dumps(reasons_for(**dict(zip(keys, args, strict=True))), ensure_ascii=False,
                      separators=(",", ":"))


def reasons_for_selection(selection, needs, offers) -> list[str]:
    """The reasons of every selected pair, as JSON text (many pairs share the same reasons,
    so each distinct combination is built and encoded once)."""
    import numpy as np

    need_pos = np.searchsorted(needs.ids, selection.need_ids).tolist()
    offer_pos = np.searchsorted(offers.ids, selection.offer_ids).tolist()
    codes = offers.municipalities.codes + [""]
    comps = selection.components.tolist()
    taxonomy = np.round(selection.taxonomy.astype(np.float64), 2).tolist()
    texts = selection.text.tolist()
    distances = selection.distance.tolist()
    price, budget = offers.price, needs.budget
    result = []
    for p in range(len(comps)):
        i, j = need_pos[p], offer_pos[p]
        _topic, level, _fmt, geography, timing, _cost, _capacity = comps[p]
        distance = distances[p]
        over = float(price[j] - budget[i]) if price[j] > budget[i] else 0.0  # NaN: False
        result.append(_reasons_json(
            needs.area[i], taxonomy[p], TEXT_NOISE if texts[p] <= TEXT_NOISE else 1.0,
            selection.words[p] if selection.words else (), level,
            int(offers.format_bit[j]) == ONLINE,
            distance if math.isnan(distance) else float(round(distance)),
            float(needs.max_km[i]), codes[int(needs.municipality[i])],
            1.0 if geography > 0 else 0.0,
            1.0 if timing >= 1.0 else 0.7 if timing >= 0.7 else 0.0,
            bool(offers.on_demand[j]), over, float(offers.max_participants[j]),
            int(needs.participants[i])))
    return result


@lru_cache(maxsize=8)
def _area_labels(language: str) -> dict[str, str]:
    from portal.models import CompetenceArea

    field = {"nn": "label_nn", "en": "label_en"}.get(language, "label_nb")
    return dict(CompetenceArea.objects.values_list("code", field))


@lru_cache(maxsize=1)
def _municipality_names() -> dict[str, str]:
    from portal.models import Municipality

    return dict(Municipality.objects.values_list("code", "name"))


def _number(value) -> str:
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _render(reason: dict) -> str:
    code = reason.get("code")
    place = _municipality_names().get(reason.get("municipality", ""), "")
    if code == "distance_km":
        return _("%(km)s km from %(place)s") % {"km": reason.get("km"), "place": place}
    if code == "too_far":
        if reason.get("limit") is not None:
            return _("%(km)s km from %(place)s, limit %(limit)s km") % {
                "km": reason.get("km"), "place": place, "limit": reason.get("limit")}
        return _("%(km)s km from %(place)s, further than wished") % {
            "km": reason.get("km"), "place": place}
    if code == "words":
        return _("Matches: %(words)s") % {"words": ", ".join(reason.get("words") or [])}
    if code == "over_budget" and reason.get("over") is not None:
        return _("%(amount)s kr over the budget") % {"amount": _number(reason["over"])}
    if code == "too_few_places" and reason.get("places") is not None:
        return _("%(places)s places for %(participants)s participants") % {
            "places": reason["places"], "participants": reason.get("participants")}
    texts = {
        "same_subarea": _("Same sub-area"),
        "same_area": _("Same area"),
        "parent_area": _("Same area (broader or narrower)"),
        "sibling_area": _("Related sub-area"),
        "similar_text": _("Similar description"),
        "no_shared_words": _("no words in common"),
        "same_level": _("The level you want"),
        "near_level": _("A neighbouring level"),
        "other_level": _("Another level than wanted"),
        "online": _("Online"),
        "on_demand": _("Can start when enough participants sign up"),
        "starts_in_window": _("Starts within the wanted period"),
        "starts_outside_window": _("Starts outside the wanted period"),
        "within_budget": _("Within the budget"),
        "over_budget": _("Costs more than the budget"),
        "too_few_places": _("Fewer places than participants"),
    }
    text = str(texts.get(code, code or ""))
    area = reason.get("area")
    if area and code in {"same_subarea", "same_area", "parent_area", "sibling_area"}:
        label = _area_labels((translation.get_language() or "nb")[:2]).get(area)
        if label:
            return f"{text}: {label}"
    return text


def _split(reasons) -> tuple[list[str], list[str]]:
    fits, misfits = [], []
    for reason in reasons or []:
        if isinstance(reason, dict):
            (misfits if reason.get("code") in MISFITS else fits).append(_render(reason))
    return fits, misfits


def explanation_parts(reasons: list[dict], language: str | None = None) -> dict:
    """{"fits": [...], "misfits": [...]}: what matches and what does not, as phrases."""
    with translation.override(language or translation.get_language() or "nb"):
        fits, misfits = _split(reasons)
    return {"fits": fits, "misfits": misfits}


def render_reasons(reasons: list[dict], language: str | None = None) -> list[str]:
    """The reasons as short phrases in `language` (default: the active language): what fits,
    then "Does not fit: …" followed by what does not."""
    with translation.override(language or translation.get_language() or "nb"):
        fits, misfits = _split(reasons)
        if misfits:
            misfits = [_("Does not fit: %(what)s") % {"what": misfits[0]}, *misfits[1:]]
    return fits + misfits
