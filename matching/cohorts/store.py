"""Turning drafted cohorts into rows: thresholds, summary fields, and a write of the changes.

A nightly rebuild mostly finds the cohorts it already has, so the write compares before it
touches anything: unchanged cohorts and unchanged member lists cost one read, not a write.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from offers.models import Offer
from portal.choices import LEVEL_ORDER

from ..models import Cohort, CohortNeed
from ..selectors.cohorts import cohort_members_changed
from .build import LEVELS_BY_ORDER, Draft

BATCH = 2000
ID_CHUNK = 900  # below SQLite's parameter limit
FIELDS = (
    "area_id", "level", "anchor_municipality_id", "online", "window_start", "window_end",
    "participants", "business_count", "threshold", "is_opportunity", "is_current",
)


@dataclass
class CohortRebuildResult:
    cohorts: int = 0
    opportunities: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    needs_pooled: int = 0
    keys: list[str] = field(default_factory=list, repr=False)
    # Cohorts that became an opportunity in this rebuild (providers are told about them).
    new_opportunities: list[str] = field(default_factory=list, repr=False)


class OnDemandMinimums:
    """The smallest `min_participants` of published on-demand offers, per area and level.

    A cohort on a sub-area may be run by an offer on that sub-area or on its top area; a cohort
    on a top area by an offer anywhere under it. An offer fits when its level is within one
    step of every known level in the cohort."""

    def __init__(self, rows: list[tuple[str | None, str, int]]):
        self._by_code: dict[str, dict[int, int]] = defaultdict(dict)
        self._under_top: dict[str, dict[int, int]] = defaultdict(dict)
        for code, level, minimum in rows:
            if code is None:
                continue
            order = LEVEL_ORDER.get(level, -1)
            for table, name in ((self._by_code, code), (self._under_top, code.split(".", 1)[0])):
                best = table[name].get(order)
                table[name][order] = int(minimum) if best is None else min(best, int(minimum))

    @classmethod
    def load(cls) -> OnDemandMinimums:
        return cls(list(Offer.objects.filter(
            status=Offer.Status.PUBLISHED, on_demand=True, min_participants__isnull=False,
        ).values_list("areas__code", "level", "min_participants")))

    def threshold(self, *, area_code: str, known_levels: set[int], default: int) -> int:
        top = area_code.split(".", 1)[0]
        if area_code == top:
            tables = [self._under_top.get(top, {})]
        else:
            tables = [self._by_code.get(area_code, {}), self._by_code.get(top, {})]
        threshold = default
        for table in tables:
            for order, minimum in table.items():
                if all(abs(order - lv) <= 1 for lv in known_levels):
                    threshold = min(threshold, minimum)
        return max(1, threshold)


def cohort_values(drafts: list[Draft], ctx: dict, *, default_threshold: int,
                  minimums: OnDemandMinimums) -> tuple[dict[str, dict], dict[str, list[int]]]:
    """The fields and the member need ids of every drafted cohort, by key (`ctx` is the
    need arrays `build_drafts` returns with the drafts)."""
    rows, org, weight, level = ctx["rows"], ctx["org"], ctx["weight"], ctx["level"]
    values: dict[str, dict] = {}
    members: dict[str, list[int]] = {}
    for draft in drafts:
        member_idx = draft.need_idx
        known = [int(v) for v in level[member_idx] if v >= 0]
        counts = Counter(known)
        common = min(counts, key=lambda lv: (-counts[lv], lv)) if counts else None
        starts = [rows[i][7] for i in member_idx if rows[i][7]]
        ends = [rows[i][8] for i in member_idx if rows[i][8]]
        window_start = max(starts) if starts else None
        window_end = min(ends) if ends else None
        if window_start and window_end and window_end < window_start:
            window_end = window_start  # short windows were widened to meet at a start point
        participants = int(weight[member_idx].sum())
        businesses = len(set(org[member_idx].tolist()))
        threshold = minimums.threshold(area_code=draft.area_code, known_levels=set(known),
                                       default=default_threshold)
        values[draft.key] = {
            "area_id": draft.area_id,
            "level": LEVELS_BY_ORDER[common] if common is not None else "",
            "anchor_municipality_id": draft.anchor_id,
            "online": draft.online,
            "window_start": window_start,
            "window_end": window_end,
            "participants": participants,
            "business_count": businesses,
            "threshold": threshold,
            "is_opportunity": participants >= threshold and businesses >= 2,
            "is_current": True,
        }
        members[draft.key] = sorted(int(rows[i][0]) for i in member_idx)
    return values, members


def _chunks(items: list[int], size: int = ID_CHUNK) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def store_cohorts(values: dict[str, dict], members: dict[str, list[int]],
                  result: CohortRebuildResult) -> None:
    """Upserts the cohorts by key in one transaction, writing only what changed."""
    now = timezone.now()
    with transaction.atomic():
        # Whole-table reads rather than `key IN (...)`: tens of thousands of keys would pass
        # SQLite's parameter limit, and one scan is cheap next to a write per row.
        existing = {row["key"]: row for row in Cohort.objects.values("id", "key", *FIELDS)}
        stored_members: dict[int, set[int]] = defaultdict(set)
        for cohort_id, need_id in CohortNeed.objects.filter(
                cohort__is_current=True).values_list("cohort_id", "need_id"):
            stored_members[cohort_id].add(need_id)

        to_create, to_update, replace_members = [], [], []
        for key in sorted(values):
            fields = values[key]
            old = existing.get(key)
            if fields["is_opportunity"] and (
                    old is None or not old["is_opportunity"] or not old["is_current"]):
                result.new_opportunities.append(key)
            if old is None:
                to_create.append(Cohort(key=key, built_at=now, **fields))
                continue
            if any(old[name] != fields[name] for name in FIELDS):
                to_update.append(Cohort(id=old["id"], key=key, built_at=now, **fields))
            if not old["is_current"] or stored_members[old["id"]] != set(members[key]):
                replace_members.append((old["id"], key))
        Cohort.objects.bulk_create(to_create, batch_size=BATCH)
        Cohort.objects.bulk_update(to_update, [*FIELDS, "built_at"], batch_size=BATCH)

        retired = sorted(row["id"] for key, row in existing.items()
                         if row["is_current"] and key not in values)
        for chunk in _chunks(retired):
            Cohort.objects.filter(pk__in=chunk).update(is_current=False)

        for chunk in _chunks([cohort_id for cohort_id, _key in replace_members]):
            CohortNeed.objects.filter(cohort_id__in=chunk).delete()
        # bulk_create set the new cohorts' ids (PostgreSQL and SQLite return them).
        write = replace_members + [(cohort.pk, cohort.key) for cohort in to_create]
        CohortNeed.objects.bulk_create(
            [CohortNeed(cohort_id=cohort_id, need_id=need_id)
             for cohort_id, key in sorted(write, key=lambda pair: pair[1])
             for need_id in members[key]],
            batch_size=BATCH * 5,
        )
        if write:  # bulk writes send no signal: providers' views of the members are stale
            cohort_members_changed()
    result.created = len(to_create)
    result.updated = len(to_update)
    result.unchanged = len(values) - len(to_create) - len(to_update)
    result.retired = len(retired)
