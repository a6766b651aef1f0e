"""The barometer's cell families for one round: aggregated for advisers, protected for everyone.

A *family* is a set of tables over the same micro data (a table and all its marginals, or a
breakdown that shares only the grand total with the others); `protect` sees a family at once,
so totals, sub-totals and every slice a filter shows are protected together. Families that
share the grand total of needs are linked: if one had to withhold it, all do.

The public release (`public_release`) is the ONLY source of every public figure: the page, the
charts, the CSV, the JSON API and the change between rounds all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from . import disclosure, frames
from .disclosure import ALL


def _with_marginals(dims: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [sub for size in range(len(dims), -1, -1) for sub in combinations(dims, size)]


@dataclass(frozen=True)
class FamilySpec:
    name: str
    source: str  # "needs", "covered", "gaps", "responses", "measures", "barriers"
    tables: tuple[tuple[str, ...], ...]
    measures: tuple[str, ...]
    weight: str = ""
    # shares the grand total of needs with the "needs" family
    linked_total: bool = False


FAMILIES: list[FamilySpec] = [
    FamilySpec("needs", "needs", tuple(_with_marginals(("municipality", "area", "level"))),
               ("participants", "needs")),
    FamilySpec("covered", "covered", tuple(_with_marginals(("municipality", "area"))),
               ("participants", "needs")),
    FamilySpec("gaps", "gaps", tuple(_with_marginals(("municipality", "area"))),
               ("participants", "needs")),
    FamilySpec("industry", "needs", (("section",), ()), ("participants", "needs"),
               linked_total=True),
    FamilySpec("size", "needs", (("size",), ()), ("participants", "needs"), linked_total=True),
    FamilySpec("consequence", "needs", (("consequence",), ()), ("participants", "needs"),
               linked_total=True),
    FamilySpec("overall_need", "responses",
               tuple(_with_marginals(("municipality", "overall_need"))), ("respondents",)),
    # Several answers per business: no total over the options is published, so each option
    # is its own municipality → region hierarchy.
    FamilySpec("measures", "measures", (("municipality", "option"), ("option",)),
               ("respondents",)),
    FamilySpec("barriers", "barriers", (("municipality", "option"), ("option",)),
               ("respondents",)),
]
FAMILY_BY_NAME = {spec.name: spec for spec in FAMILIES}


@dataclass
class Release:
    """The families of one round, each a frame of cells (see `disclosure.protect`)."""

    round_id: int
    families: dict[str, pd.DataFrame] = field(default_factory=dict)
    _index: dict = field(default_factory=dict, repr=False)

    def cell(self, family: str, **dims) -> dict | None:
        """The cell's row (measures, businesses, suppressed, reason) or None if empty."""
        index = self._index.get(family)
        if index is None:
            index = self._index[family] = _index(self.families[family], FAMILY_BY_NAME[family])
        return index.get(_key(FAMILY_BY_NAME[family], dims))

    def index_all(self) -> None:
        for name in self.families:
            self._index[name] = _index(self.families[name], FAMILY_BY_NAME[name])


def _family_dims(spec: FamilySpec) -> list[str]:
    return list(dict.fromkeys(d for table in spec.tables for d in table))


def _key(spec: FamilySpec, dims: dict) -> tuple:
    return tuple(str(dims.get(d, ALL) or ALL) for d in _family_dims(spec))


def _index(frame: pd.DataFrame, spec: FamilySpec) -> dict[tuple, dict]:
    dims = _family_dims(spec)
    if frame.empty:
        return {}
    names = list(frame.columns)
    columns = [frame[name].tolist() for name in names]
    records = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    return {tuple(str(r[d]) for d in dims): r for r in records}


def micro_sources(needs: pd.DataFrame, responses: pd.DataFrame) -> dict:
    """The micro data of each family's source, made when first asked for."""
    makers = {
        "needs": lambda: needs,
        "covered": lambda: needs[needs["covered"]] if not needs.empty else needs,
        "gaps": lambda: needs[needs["gap"]] if not needs.empty else needs,
        "responses": lambda: responses.assign(respondents=1),
        "measures": lambda: frames.options_long(responses, "measures"),
        "barriers": lambda: frames.options_long(responses, "barriers"),
    }
    return _Lazy(makers)


class _Lazy(dict):
    def __init__(self, makers: dict) -> None:
        super().__init__()
        self._makers = makers

    def __missing__(self, key: str) -> pd.DataFrame:
        value = self[key] = self._makers[key]()
        return value


TREND_FAMILIES = ("needs", "covered")  # what a round that is only a point on a trend line needs


def build(round_id: int, needs: pd.DataFrame, responses: pd.DataFrame, *,
          protected: bool, only: tuple[str, ...] = ()) -> Release:
    """The round's families from its micro frames: protected (public) or as they are;
    `only` limits the work to some families (an exact earlier round on the dashboard)."""
    sources = micro_sources(needs, responses)
    release = Release(round_id=round_id)
    for spec in FAMILIES:
        if only and spec.name not in only:
            release.families[spec.name] = disclosure.aggregate(
                pd.DataFrame(), spec.tables, measures=list(spec.measures))[0]
            continue
        micro = sources[spec.source]
        kwargs = {"measures": list(spec.measures), "weight": spec.weight or spec.measures[0]}
        if protected:
            forced = []
            if spec.linked_total and _total_withheld(release):
                forced = [tuple(ALL for _ in _family_dims(spec))]
            frame = disclosure.protect(micro, spec.tables, forced=forced, **kwargs)
        else:
            frame, _matrix = disclosure.aggregate(micro, spec.tables, vectors=False, **kwargs)
        release.families[spec.name] = frame
    if protected:
        _link_totals(release, sources)
    return release


def _total_withheld(release: Release) -> bool:
    total = release.cell("needs")
    return bool(total and total["suppressed"])


def _link_totals(release: Release, sources) -> None:
    """If a breakdown had to withhold the grand total, withhold it everywhere and redo."""
    linked = [s for s in FAMILIES if s.linked_total or s.name == "needs"]
    withheld = any((release.cell(s.name) or {}).get("suppressed") for s in linked)
    if not withheld or all((release.cell(s.name) or {"suppressed": True})["suppressed"]
                           for s in linked):
        return
    for spec in linked:
        forced = [tuple(ALL for _ in _family_dims(spec))]
        release.families[spec.name] = disclosure.protect(
            sources[spec.source], spec.tables, measures=list(spec.measures),
            weight=spec.weight or spec.measures[0], forced=forced)
    release._index.clear()


def micro_for_round(round_id: int, needs: pd.DataFrame, responses: pd.DataFrame):
    return (needs[needs["round"] == round_id] if not needs.empty else needs,
            responses[responses["round"] == round_id] if not responses.empty else responses)
