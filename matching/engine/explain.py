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
    return [*_area_reasons(need_area, taxonomy), *_word_reasons(tuple(words), text),
            *_level_reasons(level),
            *_place_reasons(online, distance_km, limit_km, municipality, geography),
            *_timing_reasons(on_demand, timing), *_budget_reasons(over_budget),
            *_capacity_reasons(capacity_places, participants)]


def _area_reasons(need_area: str, taxonomy: float) -> list[dict]:
    if taxonomy >= 1.0:
        code = "same_subarea" if "." in need_area else "same_area"
    elif taxonomy >= 0.8:
        code = "parent_area"
    else:
        code = "sibling_area"
    return [{"code": code, "area": need_area} if need_area else {"code": code}]


def _word_reasons(words: tuple[str, ...], text: float) -> list[dict]:
    reasons: list[dict] = [{"code": "words", "words": list(words)}] if words else []
    if text <= TEXT_NOISE:
        reasons.append({"code": "no_shared_words"})
    return reasons


def _level_reasons(level: float) -> list[dict]:
    if level >= 1.0:
        return [{"code": "same_level"}]
    if level == 0.5:
        return [{"code": "near_level"}]
    if level == 0.0:
        return [{"code": "other_level"}]
    return []


def _place_reasons(online: bool, distance_km: float | None, limit_km: float, municipality: str,
                   geography: float) -> list[dict]:
    if online:
        return [{"code": "online"}]
    if distance_km is None or math.isnan(distance_km):
        return []
    if geography > 0:
        return [{"code": "distance_km", "km": int(round(distance_km)),
                 "municipality": municipality}]
    return [{"code": "too_far", "km": int(round(distance_km)), "limit": int(round(limit_km)),
             "municipality": municipality}]


def _timing_reasons(on_demand: bool, timing: float) -> list[dict]:
    if on_demand:
        return [{"code": "on_demand"}]
    if timing >= 1.0:
        return [{"code": "starts_in_window"}]
    if timing < 0.7:
        return [{"code": "starts_outside_window"}]
    return []


def _budget_reasons(over_budget: float) -> list[dict]:
    return [{"code": "over_budget", "over": int(round(over_budget))}] if over_budget > 0 else []


def _capacity_reasons(capacity_places: float | None, participants: int) -> list[dict]:
    if capacity_places is not None and not math.isnan(capacity_places) \
            and capacity_places < participants:
        return [{"code": "too_few_places", "places": int(capacity_places),
                 "participants": int(participants)}]
    return []


def _encoded(part):
    """One group of reasons as JSON array items (no brackets); each distinct input once."""

    @lru_cache(maxsize=200_000)
    def encode(*args) -> str:
        return ",".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                        for r in part(*args))

    return encode


_AREA, _WORDS, _LEVEL, _TIMING, _BUDGET, _CAPACITY = (
    _encoded(f) for f in (_area_reasons, _word_reasons, _level_reasons, _timing_reasons,
                          _budget_reasons, _capacity_reasons))


@lru_cache(maxsize=10_000)
def _json_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _place_json(online: bool, distance_km: float | None, limit_km: float, municipality: str,
           geography: float) -> str:
    """`_place_reasons` as JSON, written directly: distances and places combine into too many
    values for a cache to help (tests check it against json.dumps)."""
    if online:
        return '{"code":"online"}'
    if distance_km is None or math.isnan(distance_km):
        return ""
    place = _json_text(municipality)
    if geography > 0:
        return f'{{"code":"distance_km","km":{int(round(distance_km))},"municipality":{place}}}'
    return (f'{{"code":"too_far","km":{int(round(distance_km))},'
            f'"limit":{int(round(limit_km))},"municipality":{place}}}')


def reasons_for_selection(selection, needs, offers) -> list[str]:
    """The reasons of every selected pair, as JSON text: the same as json.dumps of
    `reasons_for`, assembled from cached pieces (the area, the words, the place, … each
    take few distinct values, their combinations many), with the per-pair arithmetic done
    on whole arrays first."""
    import numpy as np

    need_pos = np.searchsorted(needs.ids, selection.need_ids)
    offer_pos = np.searchsorted(offers.ids, selection.offer_ids)
    codes = np.array(offers.municipalities.codes + [""], dtype=object)
    comps = selection.components
    area = np.array(needs.area, dtype=object)[need_pos].tolist()
    taxonomy = np.round(selection.taxonomy.astype(np.float64), 2).tolist()
    low_text = (selection.text <= TEXT_NOISE).tolist()
    words = selection.words or [()] * len(area)
    level = comps[:, 1].astype(np.float64).tolist()
    online = (offers.format_bit[offer_pos] == ONLINE).tolist()
    distance = selection.distance.astype(np.float64)
    # Unknown values as None: NaN never equals itself, so it would miss the caches.
    distance = _none_for_nan(np.round(distance))
    limit = needs.max_km[need_pos].astype(np.float64).tolist()
    place = codes[needs.municipality[need_pos]].tolist()
    geography = (comps[:, 3] > 0).tolist()
    timing = comps[:, 4].astype(np.float64)  # compared as stored (float32), as ever
    timing = np.where(timing >= 1.0, 1.0, np.where(timing >= 0.7, 0.7, 0.0)).tolist()
    on_demand = offers.on_demand[offer_pos].tolist()
    price, budget = offers.price[offer_pos], needs.budget[need_pos]
    with np.errstate(invalid="ignore"):
        over = np.where(price > budget, price - budget, 0.0).tolist()  # NaN: not over
    places = _none_for_nan(offers.max_participants[offer_pos].astype(np.float64))
    participants = needs.participants[need_pos].tolist()
    result = []
    for p in range(len(area)):
        pieces = [_AREA(area[p], taxonomy[p]),
                  _WORDS(words[p], TEXT_NOISE if low_text[p] else 1.0), _LEVEL(level[p]),
                  _place_json(online[p], distance[p], limit[p], place[p], geography[p]),
                  _TIMING(on_demand[p], timing[p]), _BUDGET(over[p]),
                  _CAPACITY(places[p], participants[p])]
        result.append("[" + ",".join(piece for piece in pieces if piece) + "]")
    return result


def _none_for_nan(values) -> list:
    return [None if v != v else v for v in values.tolist()]


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


@lru_cache(maxsize=16)
def _phrases(language: str) -> dict[str, str]:
    """The fixed phrases in `language` (the active one when called), looked up once: a list
    of matches renders hundreds of reasons, each of which used to translate all of them."""
    return {
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
    texts = _phrases(translation.get_language() or "nb")
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
