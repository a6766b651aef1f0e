"""Demand pooling: build cohorts of needs from different businesses that one course could serve.

Algorithm (`cohorts_rebuild`, steps 1–4 here, 5–6 in `store.py`), deterministic by
construction:

1. **Pool**: needs in `Need.MATCHABLE` statuses whose business is willing to share a course.
2. **Area groups**: needs are grouped by competence area. A need registered only on a top-level
   area (`skog`) joins the sub-area group of the same top area whose needs' text is most similar
   (stemmed-token Jaccard ≥ `TEXT_SIMILARITY_MIN`, ties broken by area code); otherwise it stays
   in the top-level group. Everything below happens inside one group, so the work is
   roughly linear in the number of needs.
3. **Cells**: a candidate cohort is a cell (level band, anchor, start point):
   - *level band*: two adjacent levels (course+trade certificate, trade certificate+vocational
     college, vocational college+higher education). A need fits a band if its level is in it or
     it said "don't know", so any two needs in a cohort have the same, adjacent or an unknown
     level.
   - *anchor*: a municipality where the course would take place, taken from the group's
     businesses' municipalities, or "online". A need fits a physical anchor if it accepts a
     physical format (local, campus, blended, workplace; no formats = anything), is not "online
     only", and its business's municipality centroid is within its own `max_travel_km` of the
     anchor (no limit = any distance). We use each need's own limit rather than the smallest of
     the cohort's: the course is held at the anchor, so that is the trip each group really
     makes, and it keeps the choice independent of which other needs join. A need fits
     "online" if it accepts online (or is online only).
   - *start point*: the 1st and the 16th of every month over the span of the data. A need fits a
     point inside its window [earliest start, latest start] (open ends are unbounded; a window
     shorter than 16 days is widened to 16 days so that it contains a point). All needs that
     contain the same point have pairwise overlapping windows.
4. **Greedy choice, vectorised**: NumPy computes, for every cell, the participants and the
   number of needs that fit it (one matrix product per band). The cell with the most
   participants among cells with ≥ 2 needs wins; ties go to the lower band, then the anchor
   with the lower municipality code ("online" last), then the earlier point. If its needs
   come from a single business the cell is skipped (a cohort pools *different* businesses).
   Otherwise its needs form a cohort, leave the pool, and their contribution is subtracted from
   the score matrices (an update proportional to the cohort's size, not a recount). Repeat
   until no cell holds two needs.
5. **Threshold**: `MatchingSettings.cohort_threshold`, or the lowest `min_participants` of a
   published on-demand offer in the same area (or its top area) at a compatible level, if that
   is lower. A cohort is an *opportunity* when participants ≥ threshold and it has ≥ 2
   businesses.
6. **Identity and persistence**: `key` = SHA-1 of (area code, level band, anchor code or
   "online", start point). The same data therefore gives the same keys and members, whatever
   the order the rows were inserted in (nothing depends on primary keys or dict order). The
   rebuild upserts by key in one transaction, writing only the cohorts whose fields or
   members changed: the adviser's `status` and note survive; cohorts whose key did not come
   back get `is_current=False` and keep their old members for the record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from needs.models import Need
from portal.choices import LEVEL_ORDER
from portal.models import CompetenceArea, Municipality

TEXT_SIMILARITY_MIN = 0.25
MAX_TEXT_CANDIDATES = 2000
PHYSICAL_FORMATS = {"local", "campus", "blended", "workplace"}
ONLINE_FORMATS = {"online"}
LEVELS_BY_ORDER = sorted(LEVEL_ORDER, key=LEVEL_ORDER.get)
# Adjacent level pairs; a need with an unknown level fits all of them.
BANDS: list[tuple[str, ...]] = [
    tuple(LEVELS_BY_ORDER[i : i + 2]) for i in range(max(1, len(LEVELS_BY_ORDER) - 1))
]
NO_DATE_BUCKET = "any"
MIN_WINDOW_DAYS = 16


@dataclass
class Draft:
    key: str
    area_id: int
    area_code: str
    band: int
    anchor_id: int | None
    online: bool
    point: dt.date | None
    need_idx: np.ndarray


# --- text -----------------------------------------------------------------------------------

_STOPWORDS = {
    "og", "i", "på", "pa", "for", "til", "med", "som", "av", "en", "et", "ei", "er", "vi", "de",
    "den", "det", "har", "skal", "trenger", "treng", "ansatte", "tilsette", "kurs", "the", "and",
    "of", "to", "in", "a", "an", "om", "fra", "frå", "eller", "vår", "våre", "sine", "ein",
}
_SUFFIXES = (
    "heten", "elser", "erne", "ende", "ere", "ane", "ene", "het", "ing", "ne", "ar", "er", "en",
    "et", "e", "a",
)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def text_tokens(text: str) -> frozenset[str]:
    """Lower-cased, accent-folded, crudely stemmed content words."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    words = re.findall(r"[a-zæøåäöü]+", text)
    return frozenset(_stem(w) for w in words if len(w) >= 3 and w not in _STOPWORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --- geometry -------------------------------------------------------------------------------


def _distance_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances in km between all pairs of points (haversine)."""
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    dlat = lat_r[:, None] - lat_r[None, :]
    dlon = lon_r[:, None] - lon_r[None, :]
    cos_lat = np.cos(lat_r)
    h = np.sin(dlat / 2) ** 2 + cos_lat[:, None] * cos_lat[None, :] * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _start_points(dates: list[dt.date]) -> list[dt.date]:
    """1st and 16th of every month from the first to the last date in the data."""
    if not dates:
        return []
    lo, hi = min(dates), max(dates)
    points: list[dt.date] = []
    year, month = lo.year, lo.month
    while True:
        for day in (1, 16):
            point = dt.date(year, month, day)
            if point > hi + dt.timedelta(days=MIN_WINDOW_DAYS):
                return points
            if point >= lo - dt.timedelta(days=MIN_WINDOW_DAYS):
                points.append(point)
        month += 1
        if month > 12:
            year, month = year + 1, 1


# --- the build ------------------------------------------------------------------------------


def load_pool() -> list[tuple]:
    rows = list(
        Need.objects.filter(status__in=Need.MATCHABLE, willing_to_share=True)
        .values_list(
            "id", "organisation_id", "organisation__municipality_id", "area_id", "participants",
            "level", "formats", "earliest_start", "latest_start", "max_travel_km", "online_only",
            "title", "description",
        )
        .order_by("id")
    )
    return rows


def _assign_groups(rows: list, areas: dict[int, tuple[str, int | None]]) -> list[int]:
    """The area each need is pooled under (a top-level need may join a similar sub-area)."""
    group_of = [row[3] for row in rows]
    top_level_idx = [i for i, row in enumerate(rows) if areas[row[3]][1] is None]
    if not top_level_idx:
        return group_of
    top_codes = {areas[rows[i][3]][0] for i in top_level_idx}
    # Distinct token sets of the sub-area needs under the affected top areas: identical texts
    # are compared once, which keeps this step near-linear on real survey data.
    profiles: dict[str, dict[tuple[str, frozenset[str]], int]] = defaultdict(dict)
    index: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        code, parent = areas[row[3]]
        top = code.split(".", 1)[0]
        if parent is not None and top in top_codes:
            toks = text_tokens(f"{row[11]} {row[12]}")
            entry = (code, toks)
            if entry not in profiles[top]:
                profiles[top][entry] = row[3]
                for token in toks:
                    index[top][token].add(entry)
    for i in top_level_idx:
        code = areas[rows[i][3]][0]
        mine = text_tokens(f"{rows[i][11]} {rows[i][12]}")
        candidates = sorted(
            {entry for t in mine for entry in index[code].get(t, ())},
            key=lambda e: (e[0], sorted(e[1])),
        )[:MAX_TEXT_CANDIDATES]
        best_sim, best_code, best_area = 0.0, "", None
        for sub_code, toks in candidates:
            area_id = profiles[code][(sub_code, toks)]
            sim = jaccard(mine, toks)
            if sim < TEXT_SIMILARITY_MIN:
                continue
            # Highest similarity wins; ties go to the lower sub-area code.
            if sim > best_sim or (sim == best_sim and sub_code < best_code):
                best_sim, best_code, best_area = sim, sub_code, area_id
        if best_area is not None:
            group_of[i] = best_area
    return group_of


def build_drafts(rows: list) -> tuple[list[Draft], dict]:
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return [], {"rows": rows, "org": empty, "weight": empty.astype(float), "level": empty}
    areas = {
        pk: (code, parent)
        for pk, code, parent in CompetenceArea.objects.values_list("id", "code", "parent_id")
    }
    munis = list(Municipality.objects.values_list("id", "code", "latitude", "longitude"))
    muni_pos = {pk: i for i, (pk, _c, _la, _lo) in enumerate(munis)}
    muni_code = np.array([code for _pk, code, _la, _lo in munis], dtype=object)
    dist = _distance_matrix(
        np.array([m[2] for m in munis], dtype=float), np.array([m[3] for m in munis], dtype=float)
    ) if munis else np.zeros((0, 0))

    n = len(rows)
    org = np.array([r[1] for r in rows], dtype=np.int64)
    muni = np.array([muni_pos.get(r[2], -1) for r in rows], dtype=np.int64)
    weight = np.array([r[4] for r in rows], dtype=float)
    level = np.array([LEVEL_ORDER.get(r[5] or "", -1) for r in rows], dtype=np.int64)
    formats = [set(r[6] or []) for r in rows]
    online_only = np.array([bool(r[10]) for r in rows])
    physical_ok = np.array(
        [(not f or bool(f & PHYSICAL_FORMATS)) for f in formats], dtype=bool
    ) & ~online_only & (muni >= 0)
    online_ok = np.array([(not f or bool(f & ONLINE_FORMATS)) for f in formats]) | online_only
    limit = np.array([np.inf if r[9] is None else float(r[9]) for r in rows], dtype=float)

    # Start points: one grid for all groups, so a bucket means the same everywhere.
    known_dates = [d for r in rows for d in (r[7], r[8]) if d is not None]
    points = _start_points(known_dates)
    ordinals = np.array([p.toordinal() for p in points], dtype=np.int64)
    lo = np.array([r[7].toordinal() if r[7] else -(10**9) for r in rows], dtype=np.int64)
    hi = np.array([r[8].toordinal() if r[8] else 10**9 for r in rows], dtype=np.int64)
    hi = np.maximum(hi, lo + MIN_WINDOW_DAYS - 1)

    group_of = np.array(_assign_groups(rows, areas), dtype=np.int64) if n else np.zeros(0, int)
    drafts: list[Draft] = []
    # Process groups in area-code order (the order does not change the result; it keeps logs
    # and the returned key list stable).
    for area_id in sorted(set(group_of.tolist()), key=lambda a: areas[a][0]):
        idx = np.flatnonzero(group_of == area_id)
        if len(idx) < 2 or len(set(org[idx].tolist())) < 2:
            continue
        drafts.extend(_greedy_group(
            area_id=area_id, area_code=areas[area_id][0], idx=idx, org=org, muni=muni,
            weight=weight, level=level, physical_ok=physical_ok, online_ok=online_ok,
            limit=limit, lo=lo, hi=hi, ordinals=ordinals, points=points, dist=dist,
            muni_code=muni_code, munis=munis,
        ))
    context = {"areas": areas, "org": org, "weight": weight, "level": level,
               "lo": lo, "hi": hi, "rows": rows}
    return drafts, context


def _greedy_group(
    *, area_id: int, area_code: str, idx: np.ndarray, org: np.ndarray, muni: np.ndarray,
    weight: np.ndarray, level: np.ndarray, physical_ok: np.ndarray, online_ok: np.ndarray,
    limit: np.ndarray, lo: np.ndarray, hi: np.ndarray, ordinals: np.ndarray,
    points: list[dt.date], dist: np.ndarray, muni_code: np.ndarray, munis: list,
) -> list[Draft]:
    g_muni = muni[idx]
    # Anchors: the group's municipalities ordered by code, then "online" (index A).
    anchor_pos = sorted({int(m) for m in g_muni[physical_ok[idx]]}, key=lambda m: muni_code[m])
    n_anchor = len(anchor_pos) + 1
    fits_anchor = np.zeros((n_anchor, len(idx)), dtype=bool)
    if anchor_pos:
        d = dist[np.array(anchor_pos)][:, np.maximum(g_muni, 0)]
        fits_anchor[:-1] = physical_ok[idx][None, :] & (d <= limit[idx][None, :] + 1e-9)
    fits_anchor[-1] = online_ok[idx]

    if len(ordinals):
        fits_point = (lo[idx][:, None] <= ordinals[None, :]) & (
            ordinals[None, :] <= hi[idx][:, None]
        )
    else:
        fits_point = np.ones((len(idx), 1), dtype=bool)
    g_level = level[idx]
    fits_band = np.stack([
        (g_level < 0) | np.isin(g_level, [LEVEL_ORDER[lv] for lv in band]) for band in BANDS
    ])  # (B, n)

    w = weight[idx]
    fa = fits_anchor.astype(float)
    fp = fits_point.astype(float)
    # participants[b, a, t] and needs[b, a, t] over the needs still in the pool.
    part = np.stack([(fa * (fits_band[b] * w)[None, :]) @ fp for b in range(len(BANDS))])
    count = np.stack([(fa * fits_band[b][None, :]) @ fp for b in range(len(BANDS))])
    skipped = np.zeros(part.shape, dtype=bool)
    in_pool = np.ones(len(idx), dtype=bool)
    drafts: list[Draft] = []
    g_org = org[idx]
    while True:
        score = np.where((count >= 2 - 1e-9) & ~skipped, part, -1.0)
        flat = int(np.argmax(score))
        if score.flat[flat] < 0:
            break
        b, a, t = np.unravel_index(flat, score.shape)
        members = np.flatnonzero(in_pool & fits_band[b] & fits_anchor[a] & fits_point[:, t])
        if len(set(g_org[members].tolist())) < 2:
            skipped[b, a, t] = True
            continue
        in_pool[members] = False
        # Take the members' contribution out of every cell they fitted.
        sub_a = fa[:, members]
        sub_p = fp[members, :]
        for bb in range(len(BANDS)):
            fb = fits_band[bb][members]
            part[bb] -= (sub_a * (fb * w[members])[None, :]) @ sub_p
            count[bb] -= (sub_a * fb[None, :]) @ sub_p
        online = a == n_anchor - 1
        anchor_id = None if online else munis[anchor_pos[a]][0]
        anchor_label = "online" if online else str(muni_code[anchor_pos[a]])
        point = points[t] if len(ordinals) else None
        bucket = point.isoformat() if point else NO_DATE_BUCKET
        band_label = "~".join(BANDS[b])
        key = hashlib.sha1(
            f"{area_code}|{band_label}|{anchor_label}|{bucket}".encode()
        ).hexdigest()
        drafts.append(Draft(key=key, area_id=area_id, area_code=area_code, band=int(b),
                             anchor_id=anchor_id, online=bool(online), point=point,
                             need_idx=idx[members]))
    return drafts
