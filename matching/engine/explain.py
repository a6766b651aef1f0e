"""Why a match scored as it did: reasons stored as language-neutral codes, rendered on display.

Stored: `[{"code": "same_subarea"}, {"code": "distance_km", "km": 25, "municipality": "4022"},
{"code": "starts_in_window"}]`. Shown, in the reader's language: "Same sub-area · 25 km from
Seljord · starts within the wanted period".
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from .scoring import ONLINE


def reasons_for(*, need_area: str, taxonomy: float, text: float, level: float, online: bool,
                distance_km: float, municipality: str, geography: float, timing: float,
                on_demand: bool, cost: float, capacity: float) -> list[dict]:
    reasons: list[dict] = []
    if taxonomy >= 1.0:
        reasons.append({"code": "same_subarea" if "." in need_area else "same_area"})
    elif taxonomy >= 0.8:
        reasons.append({"code": "parent_area"})
    else:
        reasons.append({"code": "sibling_area"})
    if text >= 0.25:
        reasons.append({"code": "similar_text"})
    if level >= 1.0:
        reasons.append({"code": "same_level"})
    elif level == 0.5:
        reasons.append({"code": "near_level"})
    elif level == 0.0:
        reasons.append({"code": "other_level"})
    if online:
        reasons.append({"code": "online"})
    elif distance_km == distance_km:  # not NaN
        code = "distance_km" if geography > 0 else "too_far"
        reasons.append({"code": code, "km": int(round(distance_km)), "municipality": municipality})
    if on_demand:
        reasons.append({"code": "on_demand"})
    elif timing >= 1.0:
        reasons.append({"code": "starts_in_window"})
    elif timing < 0.7:
        reasons.append({"code": "starts_outside_window"})
    if cost >= 1.0:
        reasons.append({"code": "within_budget"})
    elif cost < 0.7:
        reasons.append({"code": "over_budget"})
    if capacity < 1.0:
        reasons.append({"code": "too_few_places"})
    return reasons


def reasons_for_selection(selection, needs, offers) -> list[list[dict]]:
    import numpy as np

    need_pos = np.searchsorted(needs.ids, selection.need_ids)
    offer_pos = np.searchsorted(offers.ids, selection.offer_ids)
    codes = offers.municipalities.codes + [""]
    result = []
    comps = selection.components.tolist()
    for p in range(len(selection.need_ids)):
        i, j = int(need_pos[p]), int(offer_pos[p])
        topic, level, _fmt, geography, timing, cost, capacity = comps[p]
        result.append(reasons_for(
            need_area=needs.area[i], taxonomy=float(selection.taxonomy[p]),
            text=float(selection.text[p]), level=level,
            online=int(offers.format_bit[j]) == ONLINE,
            distance_km=float(selection.distance[p]),
            municipality=codes[int(needs.municipality[i])], geography=geography, timing=timing,
            on_demand=bool(offers.on_demand[j]), cost=cost, capacity=capacity))
    return result


@lru_cache(maxsize=1)
def _municipality_names() -> dict[str, str]:
    from portal.models import Municipality

    return dict(Municipality.objects.values_list("code", "name"))


def _render(reason: dict) -> str:
    code = reason.get("code")
    if code == "distance_km":
        name = _municipality_names().get(reason.get("municipality", ""), "")
        return _("%(km)s km from %(place)s") % {"km": reason.get("km"), "place": name}
    if code == "too_far":
        name = _municipality_names().get(reason.get("municipality", ""), "")
        return _("%(km)s km from %(place)s, further than wished") % {
            "km": reason.get("km"), "place": name}
    texts = {
        "same_subarea": _("Same sub-area"),
        "same_area": _("Same area"),
        "parent_area": _("Same area (broader or narrower)"),
        "sibling_area": _("Related sub-area"),
        "similar_text": _("Similar description"),
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
    return str(texts.get(code, code or ""))


def render_reasons(reasons: list[dict], language: str | None = None) -> list[str]:
    """The reasons as short phrases in `language` (default: the active language)."""
    if language:
        with translation.override(language):
            return [_render(r) for r in reasons or [] if isinstance(r, dict)]
    return [_render(r) for r in reasons or [] if isinstance(r, dict)]
