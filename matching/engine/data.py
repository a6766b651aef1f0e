"""Loading needs and offers into column arrays the scorer works on.

Offers (a few tens of thousands at national scale) are loaded once and cached in the process,
keyed on a cheap version stamp, together with the fitted TF-IDF vocabulary: matching one new
need then costs a single small query plus the arithmetic.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from needs.models import Need
from offers.models import Offer
from portal.choices import LEVEL_ORDER
from portal.models import Municipality

from . import text
from .scoring import ALL_FORMATS, DEFAULT_TRAVEL_KM, FORMAT_BITS, NO_DATE, ONLINE

EPOCH = dt.date(1970, 1, 1)
LEVEL_INDEX = {code: i for i, code in enumerate(LEVEL_ORDER)}


def day_number(value: dt.date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def _float(value) -> float:
    return math.nan if value is None else float(value)


@dataclass
class Municipalities:
    index: dict[int, int]  # pk -> row
    codes: list[str]
    lat: np.ndarray
    lon: np.ndarray
    distance: np.ndarray  # km between centroids, (n + 1) × (n + 1); the last row = unknown (NaN)

    def position(self, pk: int | None) -> int:
        return self.index.get(pk, len(self.codes)) if pk is not None else len(self.codes)


def load_municipalities() -> Municipalities:
    rows = list(Municipality.objects.order_by("pk").values_list("pk", "code", "latitude",
                                                                "longitude"))
    lat = np.array([_float(r[2]) for r in rows] + [math.nan])
    lon = np.array([_float(r[3]) for r in rows] + [math.nan])
    p, lam = np.radians(lat), np.radians(lon)
    dp = p[:, None] - p[None, :]
    dl = lam[:, None] - lam[None, :]
    a = np.sin(dp / 2) ** 2 + np.cos(p[:, None]) * np.cos(p[None, :]) * np.sin(dl / 2) ** 2
    distance = (2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).astype(np.float32)
    return Municipalities(index={r[0]: i for i, r in enumerate(rows)}, codes=[r[1] for r in rows],
                          lat=lat, lon=lon, distance=distance)


@dataclass
class OfferFrame:
    ids: np.ndarray
    level: np.ndarray
    format_bit: np.ndarray
    municipality: np.ndarray
    start: np.ndarray
    on_demand: np.ndarray
    price: np.ndarray
    max_participants: np.ndarray
    vectors: object  # scipy csr, one L2-normalised row per offer (text.TextModel.offer_vectors)
    vectoriser: object  # the fitted text.TextModel
    # Flat (offer, area) pairs, for the taxonomy relation of a need's area to every offer.
    flat_offer: np.ndarray
    flat_code: np.ndarray
    flat_top: np.ndarray
    flat_sub: np.ndarray
    code_ids: dict[str, int]
    by_top: dict[int, np.ndarray] = field(default_factory=dict)
    areas: list[list[str]] = field(default_factory=list)
    municipalities: Municipalities | None = None
    # The scorer's per-area columns (selection._group), built on first use; a frame made
    # from another with dataclasses.replace must pass a fresh dict.
    groups: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, j: int) -> dict:
        """One offer as a plain dict (the reference implementation's input)."""
        m = self.municipalities
        k = int(self.municipality[j])
        return {
            "id": int(self.ids[j]), "areas": self.areas[j], "level": int(self.level[j]),
            "format_bit": int(self.format_bit[j]), "lat": _none(m.lat[k]), "lon": _none(m.lon[k]),
            "start": int(self.start[j]), "on_demand": bool(self.on_demand[j]),
            "price": float(self.price[j]), "max_participants": float(self.max_participants[j]),
            "text": _row_weights(self.vectors, self.vectoriser, j),
        }


def _none(value: float):
    return None if math.isnan(value) else float(value)


def _row_weights(matrix, model, i: int) -> dict[str, float]:
    names = model.feature_names()
    row = matrix.getrow(i)
    return {names[c]: float(v) for c, v in zip(row.indices, row.data, strict=True)}


def live_offers(today: dt.date | None = None):
    """Published offers a business can still sign up for (the hard filters on offers)."""
    return Offer.objects.open_for_signup(today or timezone.localdate())


def _offer_stamp(today: dt.date) -> tuple:
    """What the cached offer frame depends on, in one round trip (every match_need asks)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(updated_at), "
                       "(SELECT count(*) FROM portal_municipality) FROM offers_offer")
        offers, latest, places = cursor.fetchone()
    return (offers, latest, today, places)


_cache: dict[str, object] = {}


def offer_frame(today: dt.date | None = None) -> OfferFrame:
    today = today or timezone.localdate()
    stamp = _offer_stamp(today)
    if _cache.get("stamp") != stamp:
        _cache["frame"] = load_offer_frame(today)
        _cache["stamp"] = stamp
    return _cache["frame"]  # type: ignore[return-value]


def clear_cache() -> None:
    _cache.clear()


def load_offer_frame(today: dt.date | None = None) -> OfferFrame:
    municipalities = load_municipalities()
    rows = list(
        live_offers(today).order_by("pk").values_list(
            "pk", "level", "format", "municipality_id", "start_date", "on_demand", "price_nok",
            "max_participants", "title", "description")
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    position = {pk: j for j, pk in enumerate(ids.tolist())}
    through = Offer.areas.through
    area_rows = through.objects.filter(offer_id__in=live_offers(today).values("pk")).values_list(
        "offer_id", "competencearea__code")
    areas: list[list[str]] = [[] for _ in rows]
    for offer_id, code in area_rows:
        if offer_id in position:
            areas[position[offer_id]].append(code)

    codes = sorted({c for codes in areas for c in codes} | {c.split(".")[0] for codes in areas
                                                           for c in codes})
    code_ids = {c: i for i, c in enumerate(codes)}
    flat_offer, flat_code, flat_top, flat_sub = [], [], [], []
    for j, offer_codes in enumerate(areas):
        for code in offer_codes:
            flat_offer.append(j)
            flat_code.append(code_ids[code])
            flat_top.append(code_ids[code.split(".")[0]])
            flat_sub.append("." in code)
    flat_offer_a = np.array(flat_offer, dtype=np.int32)
    flat_top_a = np.array(flat_top, dtype=np.int32)
    by_top = {int(t): np.unique(flat_offer_a[flat_top_a == t]) for t in np.unique(flat_top_a)}

    titles, descriptions = [r[8] or "" for r in rows], [r[9] or "" for r in rows]
    model = text.fit([f"{t} {d}" for t, d in zip(titles, descriptions, strict=True)])
    return OfferFrame(
        ids=ids,
        level=np.array([LEVEL_INDEX.get(r[1], -1) for r in rows], dtype=np.int8),
        format_bit=np.array([FORMAT_BITS.get(r[2], 0) for r in rows], dtype=np.int8),
        municipality=np.array([municipalities.position(r[3]) for r in rows], dtype=np.int32),
        start=np.array([day_number(r[4]) for r in rows], dtype=np.int32),
        on_demand=np.array([bool(r[5]) for r in rows], dtype=bool),
        price=np.array([_float(r[6]) for r in rows], dtype=np.float64),
        max_participants=np.array([_float(r[7]) for r in rows], dtype=np.float64),
        vectors=model.offer_vectors(titles, descriptions),
        vectoriser=model,
        flat_offer=flat_offer_a, flat_code=np.array(flat_code, dtype=np.int32),
        flat_top=flat_top_a, flat_sub=np.array(flat_sub, dtype=bool),
        code_ids=code_ids, by_top=by_top, areas=areas, municipalities=municipalities,
    )


@dataclass
class NeedFrame:
    ids: np.ndarray
    area: list[str]
    level: np.ndarray
    format_mask: np.ndarray
    online_only: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    max_km: np.ndarray
    budget: np.ndarray
    participants: np.ndarray
    municipality: np.ndarray
    texts: list[str]
    expansions: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, i: int, offers: OfferFrame) -> dict:
        m = offers.municipalities
        k = int(self.municipality[i])
        vectors = offers.vectoriser.need_vectors([self.texts[i]], [self.expansions[i]])
        return {
            "id": int(self.ids[i]), "area": self.area[i], "level": int(self.level[i]),
            "format_mask": int(self.format_mask[i]), "online_only": bool(self.online_only[i]),
            "earliest": int(self.earliest[i]), "latest": int(self.latest[i]),
            "max_km": float(self.max_km[i]), "budget": float(self.budget[i]),
            "participants": int(self.participants[i]),
            "lat": _none(m.lat[k]), "lon": _none(m.lon[k]),
            "text": _row_weights(vectors, offers.vectoriser, 0),
        }


def _format_mask(formats, online_only: bool) -> int:
    if online_only:
        return ONLINE
    mask = 0
    for code in formats or []:
        mask |= FORMAT_BITS.get(code, 0)
    return mask or ALL_FORMATS


def area_expansions() -> dict[str, str]:
    """Each area's labels (nb, nn, en) and synonyms, the query expansion of a need in it."""
    from portal.models import CompetenceArea

    return {code: text.area_expansion([nb, nn, en, *(synonyms or "").split(";")])
            for code, nb, nn, en, synonyms in CompetenceArea.objects.values_list(
                "code", "label_nb", "label_nn", "label_en", "synonyms")}


def load_need_frame(queryset, municipalities: Municipalities) -> NeedFrame:
    rows = list(queryset.order_by("pk").values_list(
        "pk", "area__code", "level", "formats", "online_only", "earliest_start", "latest_start",
        "max_travel_km", "budget_per_participant", "participants",
        "organisation__municipality_id", "title", "description"))
    online_only = np.array([bool(r[4]) for r in rows], dtype=bool)
    expansions = area_expansions() if rows else {}
    return NeedFrame(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        area=[r[1] or "" for r in rows],
        level=np.array([LEVEL_INDEX.get(r[2] or "", -1) for r in rows], dtype=np.int8),
        format_mask=np.array([_format_mask(r[3], r[4]) for r in rows], dtype=np.int8),
        online_only=online_only,
        earliest=np.array([day_number(r[5]) for r in rows], dtype=np.int32),
        latest=np.array([day_number(r[6]) for r in rows], dtype=np.int32),
        max_km=np.array([0.0 if r[4] else (DEFAULT_TRAVEL_KM if r[7] is None else float(r[7]))
                         for r in rows], dtype=np.float64),
        budget=np.array([_float(r[8]) for r in rows], dtype=np.float64),
        participants=np.array([max(1, r[9] or 1) for r in rows], dtype=np.int32),
        municipality=np.array([municipalities.position(r[10]) for r in rows], dtype=np.int32),
        texts=[f"{r[11] or ''} {r[12] or ''}" for r in rows],
        expansions=[expansions.get(r[1] or "", "") for r in rows],
    )


def matchable_needs():
    return Need.objects.filter(status__in=Need.MATCHABLE)
