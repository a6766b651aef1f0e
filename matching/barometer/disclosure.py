"""Disclosure control for everything the public sees: ONE function, `protect`.

It follows a statistics office's practice (SSB):

* **primary suppression** – a cell resting on fewer than `min_businesses` (3) businesses, or one
  where a single business contributes more than `dominance` (80 %) of the cell's participants;
* **secondary suppression** – further cells are withheld until no suppressed cell can be
  computed from the published ones by any sum or difference (row and column totals, the
  marginals of every table passed in together, a slice shown under a filter). This is the
  Gaussian-elimination method SSB uses (`GaussSuppression` in SSBtools): each cell is a 0/1
  vector over the micro cells (the finest combinations present in the data); cells are taken
  in order of how much we want them published (big totals first) and one is published only if
  the published set then still spans none of the suppressed cells. A published cell whose
  vector is already spanned by published cells costs nothing and is published.
* **the singleton problem** – a business alone in a suppressed cell knows that cell's value; a
  cell is also withheld if publishing it would let such a business compute another suppressed
  cell.

The caller passes micro data (one row per contribution: the dimension columns, `business`, and
the additive measure columns) and the tables to publish as lists of dimensions (a table with
fewer dimensions is a marginal). Treating micro cells that are absent as known zeros makes the
check stricter than an outsider's knowledge, never weaker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

MIN_BUSINESSES = 3
DOMINANCE = 0.8
_EPS = 1e-9


class Reason(StrEnum):
    """Why a cell is withheld (the footnote under every table says which)."""

    FEW = "few"  # fewer than 3 businesses
    DOMINANCE = "dominance"  # one business has more than 80 % of the participants
    SECONDARY = "secondary"  # withheld so that another withheld cell cannot be worked out


@dataclass(frozen=True)
class Rule:
    min_businesses: int = MIN_BUSINESSES
    dominance: float = DOMINANCE


ALL = ""  # the dimension value of a marginal ("all municipalities", "all areas", ...)


def protect(
    micro: pd.DataFrame,
    tables: Sequence[Sequence[str]],
    *,
    measures: Sequence[str],
    weight: str | None = None,
    rule: Rule = Rule(),
    forced: Iterable[tuple] = (),
) -> pd.DataFrame:
    """Aggregate `micro` into the cells of `tables` and decide which may be published.

    `micro` has one row per contribution with the columns of every table's dimensions, a
    `business` column and the additive `measures`; `weight` (default: the first measure) is
    what the dominance rule looks at. `forced` names cells (tuples of the union of dimensions in
    order, `ALL` for a marginal) to withhold whatever they hold: a total shared with another
    table that had to be withheld there.

    Returns one row per non-empty cell: every dimension (`ALL` where the table does not have
    it), the summed measures, `businesses`, `top_share`, `suppressed` (bool) and `reason`.
    Values of suppressed cells are still in the frame (the caller must not show them): use
    `published_values` to get the frame a public answer may read.
    """
    dims = _dims(tables)
    weight = weight or measures[0]
    out, matrix = aggregate(micro, tables, measures=measures, weight=weight)
    if out.empty:
        return out

    reason = np.full(len(out), "", dtype=object)
    few = (out["businesses"] > 0) & (out["businesses"] < rule.min_businesses)
    reason[few.to_numpy()] = Reason.FEW.value
    dominated = (~few) & (out[weight] > 0) & (out["top_share"] > rule.dominance)
    reason[dominated.to_numpy()] = Reason.DOMINANCE.value
    forced_keys = {tuple(str(v) for v in key) for key in forced}
    if forced_keys:
        keys = list(out[dims].itertuples(index=False, name=None)) if dims else [()] * len(out)
        for i, key in enumerate(keys):
            if not reason[i] and key in forced_keys:
                reason[i] = Reason.SECONDARY.value
    singleton = (out["businesses"] == 1).to_numpy()
    _secondary(matrix, reason, singleton, _priority(out, dims, weight))

    out["reason"] = reason
    out["suppressed"] = out["reason"] != ""
    return out


def published_values(protected: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """The frame with every suppressed cell's values (and business count) blanked out: what a
    page, chart, export or API answer reads, so none can show a withheld number by mistake."""
    out = protected.copy()
    blank = out["suppressed"]
    for column in [*measures, "businesses", "top_share"]:
        if column in out:
            out[column] = out[column].astype("float64").where(~blank)
    return out


def aggregate(micro: pd.DataFrame, tables: Sequence[Sequence[str]], *,
              measures: Sequence[str], weight: str | None = None,
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """The cells of `tables` with their sums, `businesses` and `top_share`, nothing withheld
    (what an adviser, who may read every need anyway, sees), and each cell's 0/1 vector over
    the micro cells (what `protect` reasons about).

    Plain NumPy on factorised codes: a family has a dozen small tables and pandas' per-call
    overhead would dominate."""
    dims = _dims(tables)
    weight = weight or measures[0]
    if micro.empty:
        return _empty(dims, measures), np.zeros((0, 0))
    codes, uniques = {}, {}
    for dim in dims:
        codes[dim], uniques[dim] = pd.factorize(micro[dim].fillna("unknown").astype(str),
                                                sort=True)
    business, _businesses = pd.factorize(micro["business"])
    n_business = int(business.max()) + 1
    values = {m: micro[m].to_numpy(dtype=float) for m in dict.fromkeys([*measures, weight])}
    if dims:
        _cols, col = np.unique(np.stack([codes[d] for d in dims], axis=1), axis=0,
                               return_inverse=True)
        col = col.reshape(-1)
        n_cols = int(col.max()) + 1
    else:
        col, n_cols = np.zeros(len(micro), dtype=int), 1
    frames, blocks = [], []
    for table in tables:
        table = list(table)
        if table:
            keys, cell_of = np.unique(np.stack([codes[d] for d in table], axis=1), axis=0,
                                      return_inverse=True)
            cell_of = cell_of.reshape(-1)
        else:
            keys, cell_of = np.zeros((1, 0), dtype=int), np.zeros(len(micro), dtype=int)
        n = len(keys)
        pair, pair_of = np.unique(cell_of * n_business + business, return_inverse=True)
        pair_weight = np.bincount(pair_of.reshape(-1), weights=values[weight],
                                  minlength=len(pair))
        pair_cell = pair // n_business
        top = np.zeros(n)
        np.maximum.at(top, pair_cell, pair_weight)
        frame = {d: (uniques[d][keys[:, table.index(d)]] if d in table else [ALL] * n)
                 for d in dims}
        for m in measures:
            sums = np.bincount(cell_of, weights=values[m], minlength=n)
            frame[m] = sums.astype(int) if np.allclose(sums, np.round(sums)) else sums
        frame["businesses"] = np.bincount(pair_cell, minlength=n)
        total = np.bincount(cell_of, weights=values[weight], minlength=n)
        frame["top_share"] = np.divide(top, total, out=np.zeros(n), where=total > 0)
        frames.append(pd.DataFrame(frame))
        block = np.zeros((n, n_cols))
        block[cell_of, col] = 1.0
        blocks.append(block)
    out = pd.concat(frames, ignore_index=True)
    out["reason"] = ""
    out["suppressed"] = False
    return out, np.vstack(blocks)


# --- internals -----------------------------------------------------------------------------


def _dims(tables: Sequence[Sequence[str]]) -> list[str]:
    return list(dict.fromkeys(d for table in tables for d in table))


def _empty(dims: list[str], measures: Sequence[str]) -> pd.DataFrame:
    columns = [*dims, *measures, "businesses", "top_share", "reason", "suppressed"]
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _priority(out: pd.DataFrame, dims: list[str], weight: str) -> np.ndarray:
    """Cells in the order we most want them published: marginals before inner cells, then
    larger cells first (small cells are the cheap ones to give up); ties broken stably."""
    depth = sum((out[d] != ALL).astype(int) for d in dims) if dims else pd.Series(0, out.index)
    order = pd.DataFrame({"depth": depth, "size": -out[weight].astype(float),
                          "pos": range(len(out))})
    return order.sort_values(["depth", "size", "pos"]).index.to_numpy()


def _secondary(matrix: np.ndarray, reason: np.ndarray, singleton: np.ndarray,
               order: np.ndarray) -> None:
    """Gaussian elimination over the published cells' vectors (in place on `reason`).

    `basis` is kept in reduced row echelon form over its pivot columns, `residual[i]` is the
    i-th withheld cell's vector reduced by the basis: a withheld cell can be computed from the
    published ones exactly when its residual is zero. Publishing a candidate `v` (reduced)
    turns residual `r` into `r - r[j] / v[j] * v`; if any becomes zero, `v` is withheld too.
    """
    withheld = [i for i in range(len(reason)) if reason[i]]
    residual = matrix[withheld].copy()
    single = singleton[withheld] if withheld else np.zeros(0, dtype=bool)
    basis = np.zeros((0, matrix.shape[1]))
    pivots: list[int] = []
    for cell in order:
        if reason[cell]:
            continue
        v = matrix[cell].copy()
        if pivots:
            v -= v[pivots] @ basis
        nonzero = np.flatnonzero(np.abs(v) > _EPS)
        if nonzero.size == 0:
            continue  # already determined by what is published: costs nothing
        j = int(nonzero[np.argmax(np.abs(v[nonzero]))])
        v /= v[j]
        trial = residual - np.outer(residual[:, j], v) if len(withheld) else residual
        if _reveals(trial, residual, single):
            # Withheld too. Its own value is not sensitive, so it need not stay unknowable.
            reason[cell] = Reason.SECONDARY.value
            continue
        residual = trial
        basis = np.vstack([basis - np.outer(basis[:, j], v), v])
        pivots.append(j)


def _reveals(trial: np.ndarray, before: np.ndarray, single: np.ndarray) -> bool:
    """Would the trial residuals let someone compute a withheld cell?"""
    if not len(trial):
        return False
    norms = np.abs(trial).max(axis=1)
    if (norms < 1e-7).any():
        return True
    if not single.any():
        return False
    # A business alone in a withheld cell knows it: withheld cells whose residuals become
    # parallel to that cell's would be computable by that business.
    unit = trial / np.linalg.norm(trial, axis=1, keepdims=True)
    unit_before = before / np.linalg.norm(before, axis=1, keepdims=True)
    cos = np.abs(unit[single] @ unit.T)
    cos_before = np.abs(unit_before[single] @ unit_before.T)
    newly_parallel = (cos > 1 - 1e-9) & (cos_before <= 1 - 1e-9)
    return bool(newly_parallel.any())
