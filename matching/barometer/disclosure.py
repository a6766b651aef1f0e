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
              measures: Sequence[str], weight: str | None = None, vectors: bool = True,
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """The cells of `tables` with their sums, `businesses` and `top_share`, nothing withheld
    (what an adviser, who may read every need anyway, sees), and (`vectors`) each cell's 0/1
    vector over the micro cells (what `protect` reasons about).

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
    sizes = {d: max(1, len(uniques[d])) for d in dims}
    business, _businesses = pd.factorize(micro["business"])
    n_business = int(business.max()) + 1
    values = {m: micro[m].to_numpy(dtype=float) for m in dict.fromkeys([*measures, weight])}
    _cols, col = np.unique(_key(codes, sizes, dims, len(micro)), return_inverse=True)
    n_cols = len(_cols)
    columns: dict[str, list] = {d: [] for d in [*dims, *measures, "businesses", "top_share"]}
    blocks = []
    for table in tables:
        table = list(table)
        keys, cell_of = np.unique(_key(codes, sizes, table, len(micro)), return_inverse=True)
        n = len(keys)
        pair, pair_of = np.unique(cell_of * n_business + business, return_inverse=True)
        pair_weight = np.bincount(pair_of, weights=values[weight], minlength=len(pair))
        pair_cell = pair // n_business
        top = np.zeros(n)
        np.maximum.at(top, pair_cell, pair_weight)
        decoded = (np.unravel_index(keys, [sizes[d] for d in table]) if table else ())
        for d in dims:
            columns[d].append(uniques[d].to_numpy()[decoded[table.index(d)]] if d in table
                              else np.full(n, ALL, dtype=object))
        for m in measures:
            columns[m].append(np.bincount(cell_of, weights=values[m], minlength=n))
        columns["businesses"].append(np.bincount(pair_cell, minlength=n))
        total = np.bincount(cell_of, weights=values[weight], minlength=n)
        columns["top_share"].append(np.divide(top, total, out=np.zeros(n), where=total > 0))
        if vectors:
            block = np.zeros((n, n_cols))
            block[cell_of, col] = 1.0
            blocks.append(block)
    out = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})
    for m in measures:
        if np.allclose(out[m], np.round(out[m])):
            out[m] = out[m].round().astype(int)
    out["reason"] = ""
    out["suppressed"] = False
    return out, (np.vstack(blocks) if vectors else np.zeros((0, 0)))


def _key(codes: dict, sizes: dict, dims: list[str], rows: int) -> np.ndarray:
    """One integer per row for its combination of `dims` (mixed-radix)."""
    if not dims:
        return np.zeros(rows, dtype=np.int64)
    return np.ravel_multi_index([codes[d] for d in dims], [sizes[d] for d in dims])


# --- internals -----------------------------------------------------------------------------


def _dims(tables: Sequence[Sequence[str]]) -> list[str]:
    return list(dict.fromkeys(d for table in tables for d in table))


def _empty(dims: list[str], measures: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=[*dims, *measures, "businesses", "top_share", "reason",
                                 "suppressed"])


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
    published ones exactly when its residual is zero. Publishing a candidate `v` (reduced,
    pivot `j`) turns residual `r` into `r - r[j] * v`; if one becomes zero, `v` is withheld
    too. Only residuals with `r[j] != 0` change, so only those are recomputed.

    The singleton check (a lone business knows its own cell `s`; another withheld cell `p`
    must not become `p = a·s + published`) means "residuals become parallel". It is screened
    on two random projections of the residuals, updated in O(rows) per step, and a pair the
    screen flags is verified on the full vectors.
    """
    withheld = [i for i in range(len(reason)) if reason[i]]
    if not withheld:
        return
    n_cols = matrix.shape[1]
    residual = matrix[withheld].copy()
    single = np.flatnonzero(singleton[withheld])
    screen = np.random.default_rng(0).standard_normal((n_cols, 2))
    projected = residual @ screen
    basis = np.zeros((n_cols, n_cols))
    pivots: list[int] = []
    for cell in order:
        if reason[cell]:
            continue
        v = matrix[cell].copy()
        if pivots:
            v -= v[pivots] @ basis[: len(pivots)]
        nonzero = np.flatnonzero(np.abs(v) > _EPS)
        if nonzero.size == 0:
            continue  # already determined by what is published: costs nothing
        j = int(nonzero[np.argmax(np.abs(v[nonzero]))])
        v /= v[j]
        changed = np.flatnonzero(np.abs(residual[:, j]) > _EPS)
        if changed.size:
            trial = residual[changed] - np.outer(residual[changed, j], v)
            if (np.abs(trial).max(axis=1) < 1e-7).any():
                reason[cell] = Reason.SECONDARY.value  # it would give a withheld cell away
                continue
            new_projected = projected.copy()
            new_projected[changed] -= np.outer(residual[changed, j], v @ screen)
            if single.size and _singleton_revealed(residual, trial, changed, projected,
                                                   new_projected, single):
                reason[cell] = Reason.SECONDARY.value
                continue
            residual[changed] = trial
            projected = new_projected
        k = len(pivots)
        basis[:k] -= np.outer(basis[:k, j], v)
        basis[k] = v
        pivots.append(j)


def _parallel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise: are the 2-d projections of the rows of `a` and `b` parallel?"""
    na = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-300)
    nb = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-300)
    cross = np.abs(na[:, :1] * nb[:, 1] - na[:, 1:] * nb[:, 0])
    return cross < 1e-9


def _singleton_revealed(residual, trial, changed, before, after, single) -> bool:
    flagged = _parallel(after[single], after) & ~_parallel(before[single], before)
    if not flagged.any():
        return False
    updated = residual.copy()
    updated[changed] = trial
    for s_index, p in zip(*np.nonzero(flagged), strict=True):
        s, q = updated[single[s_index]], updated[p]
        cos = abs(s @ q) / (np.linalg.norm(s) * np.linalg.norm(q))
        if cos > 1 - 1e-9:
            return True
    return False
