"""Selector rows → pandas frames with the barometer's derived columns (area, section, size)."""

from __future__ import annotations

import json

import pandas as pd

from needs.models import Need

from . import selectors

SIZE_BANDS = [(1, 4, "1-4"), (5, 9, "5-9"), (10, 19, "10-19"), (20, 49, "20-49"),
              (50, None, "50+")]
SIZE_CODES = [code for _low, _high, code in SIZE_BANDS]
UNKNOWN = "unknown"


def size_bands(employees: pd.Series) -> pd.Series:
    """The size band of each business (employees 1–4, 5–9, …, 50+; none or 0: unknown)."""
    edges = [0.5] + [high + 0.5 for _low, high, _code in SIZE_BANDS if high] + [float("inf")]
    bands = pd.cut(pd.to_numeric(employees, errors="coerce"), edges, labels=SIZE_CODES)
    return bands.astype(object).where(bands.notna(), UNKNOWN)


def sections(industry_codes: pd.Series, division_to_section: dict[str, str]) -> pd.Series:
    """The SN2007 section letter of each industry code (its first two digits: the division)."""
    divisions = industry_codes.astype(object).where(industry_codes.notna(), "").astype(str)
    return divisions.str[:2].map(division_to_section).astype(object).fillna(UNKNOWN)


def needs_frame(*, round_ids: list[int] | None = None,
                municipalities: frozenset[str] | None = None,
                threshold: float | None = None,
                division_to_section: dict[str, str] | None = None) -> pd.DataFrame:
    """Counted needs, one row each: round, business, municipality, top-level area, level,
    participants, consequence, SN2007 section, size band, covered and gap flags."""
    where = {"round_ids": round_ids, "municipalities": municipalities}
    rows = list(selectors.need_rows(**where))
    frame = pd.DataFrame(rows, columns=selectors.NEED_COLUMNS)
    covered = set(selectors.covered_need_ids(**where))
    best = dict(selectors.best_scores(**where))
    frame["covered"] = frame["need"].isin(covered)
    frame["best_score"] = frame["need"].map(best)
    if threshold is None:
        threshold = selectors.gap_threshold()
    if division_to_section is None:
        division_to_section, _sections = selectors.industry_sections()
    frame["area"] = frame["parent_code"].fillna(frame["area_code"])
    frame["level"] = frame["level"].replace("", UNKNOWN).fillna(UNKNOWN)
    frame["consequence"] = frame["consequence"].replace("", UNKNOWN).fillna(UNKNOWN)
    frame["municipality"] = frame["municipality"].fillna(UNKNOWN)
    frame["section"] = sections(frame["industry_code"], division_to_section)
    frame["size"] = size_bands(frame["employees"])
    matchable = frame["status"].isin(list(Need.MATCHABLE))
    frame["gap"] = matchable & ~frame["covered"] & (
        frame["best_score"].fillna(0.0).astype(float) < threshold)
    frame["needs"] = 1
    frame["participants"] = frame["participants"].astype(int)
    frame["covered_needs"] = frame["covered"].astype(int)
    frame["gap_needs"] = frame["gap"].astype(int)
    frame["gap_participants"] = frame["participants"].where(frame["gap"], 0)
    return frame


def responses_frame(*, round_ids: list[int] | None = None,
                    municipalities: frozenset[str] | None = None,
                    division_to_section: dict[str, str] | None = None) -> pd.DataFrame:
    rows = list(selectors.response_rows(round_ids=round_ids, municipalities=municipalities))
    frame = pd.DataFrame(rows, columns=selectors.RESPONSE_COLUMNS)
    if division_to_section is None:
        division_to_section, _sections = selectors.industry_sections()
    frame["section"] = sections(frame["industry_code"], division_to_section)
    frame["municipality"] = frame["municipality"].fillna(UNKNOWN)
    frame["overall_need"] = frame["overall_need"].replace("", UNKNOWN).fillna(UNKNOWN)
    for column in ("measures", "barriers"):
        parsed = json.loads("[" + ",".join(v or "[]" for v in frame[column]) + "]")
        frame[column] = [v if isinstance(v, list) else [] for v in parsed]
    return frame


def options_long(responses: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per (response, chosen option) of a multiple-choice question."""
    rows = [(r, b, m, option) for r, b, m, options in zip(
        responses["round"], responses["business"], responses["municipality"],
        responses[column], strict=True) for option in options]
    frame = pd.DataFrame(rows, columns=["round", "business", "municipality", "option"])
    frame["respondents"] = 1
    return frame


def cohorts_frame(*, municipalities: frozenset[str] | None = None) -> pd.DataFrame:
    rows = list(selectors.cohort_rows(municipalities=municipalities))
    frame = pd.DataFrame(rows, columns=selectors.COHORT_COLUMNS)
    frame["area"] = frame["parent_code"].fillna(frame["area_code"])
    frame["is_opportunity"] = frame["is_opportunity"].astype(bool)
    return frame
