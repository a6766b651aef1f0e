"""Disclosure control: primary (few businesses, dominance) and secondary suppression.

Pure function tests on small frames; the end-to-end tests (page, CSV, API, rounds) are in
test_public.py. Each secondary-suppression test also checks the property itself: no withheld
cell is a linear combination of the published cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matching.barometer.disclosure import ALL, Reason, aggregate, protect, published_values

TABLES_2D = [("m", "a"), ("m",), ("a",), ()]


def micro(rows: list[tuple]) -> pd.DataFrame:
    """(municipality, area, business, participants) → micro frame with needs = 1 each."""
    return pd.DataFrame([{"m": m, "a": a, "business": b, "participants": p, "needs": 1}
                         for m, a, b, p in rows])


def cell(out: pd.DataFrame, m: str = ALL, a: str = ALL) -> pd.Series:
    found = out[(out["m"] == m) & (out["a"] == a)]
    assert len(found) == 1, (m, a)
    return found.iloc[0]


def assert_nothing_recoverable(frame: pd.DataFrame, tables, out: pd.DataFrame) -> None:
    """No withheld cell's vector lies in the span of the published cells' vectors."""
    _cells, matrix = aggregate(frame, tables, measures=["participants", "needs"])
    published = matrix[~out["suppressed"].to_numpy()]
    rank = np.linalg.matrix_rank(published) if len(published) else 0
    for i in np.flatnonzero(out["suppressed"].to_numpy()):
        if out["reason"].iloc[i] == Reason.SECONDARY:
            continue  # a secondary cell's own value is not sensitive
        stacked = np.vstack([published, matrix[i]]) if len(published) else matrix[[i]]
        assert np.linalg.matrix_rank(stacked) > rank, f"cell {i} can be worked out"


def many(m: str, a: str, first: int, n: int, participants: int = 2) -> list[tuple]:
    return [(m, a, first + k, participants) for k in range(n)]


@pytest.mark.parametrize("businesses", [1, 2])
def test_a_cell_with_one_or_two_businesses_is_suppressed(businesses):
    rows = many("A", "x", 0, businesses) + many("A", "y", 100, 5) + many("B", "x", 200, 5)
    out = protect(micro(rows), TABLES_2D, measures=["participants", "needs"])
    assert cell(out, "A", "x")["reason"] == Reason.FEW
    assert cell(out, "A", "y")["suppressed"] is np.True_ or cell(out, "A", "y")["suppressed"]


def test_three_businesses_are_enough():
    rows = many("A", "x", 0, 3) + many("A", "y", 100, 4)
    out = protect(micro(rows), [("m", "a"), ("m",)], measures=["participants", "needs"])
    assert not out["suppressed"].any()


def test_several_needs_of_one_business_are_still_one_business():
    rows = [("A", "x", 1, 2), ("A", "x", 1, 3), ("A", "x", 1, 1)] + many("A", "y", 10, 4)
    out = protect(micro(rows), TABLES_2D, measures=["participants", "needs"])
    assert cell(out, "A", "x")["reason"] == Reason.FEW
    assert cell(out, "A", "x")["businesses"] == 1


def test_total_minus_the_visible_cells_is_protected_by_secondary_suppression():
    # Municipality A: area x rests on one business, y on five. Published A-total minus the
    # published A,y would give A,x away: A,y must go too, and then a cell of the other
    # municipality in the same column, and so on round the rectangle.
    rows = many("A", "x", 0, 1, 7) + many("A", "y", 10, 5) + many("B", "x", 20, 4) \
        + many("B", "y", 30, 6)
    frame = micro(rows)
    out = protect(frame, TABLES_2D, measures=["participants", "needs"])
    assert cell(out, "A", "x")["reason"] == Reason.FEW
    assert cell(out, "A", "y")["reason"] == Reason.SECONDARY
    assert cell(out, "B", "x")["reason"] == Reason.SECONDARY
    assert cell(out, "B", "y")["reason"] == Reason.SECONDARY
    # The totals stay published: the suppression sacrifices the inner cells.
    assert not cell(out, "A")["suppressed"]
    assert not cell(out)["suppressed"]
    assert_nothing_recoverable(frame, TABLES_2D, out)


def test_secondary_suppression_prefers_small_cells():
    rows = many("A", "x", 0, 1) + many("A", "y", 10, 3) + many("A", "z", 20, 9) \
        + many("B", "x", 40, 8) + many("B", "y", 60, 3) + many("B", "z", 80, 9)
    frame = micro(rows)
    out = protect(frame, TABLES_2D, measures=["participants", "needs"])
    assert cell(out, "A", "y")["reason"] == Reason.SECONDARY  # 3 businesses, not the 9
    assert not cell(out, "A", "z")["suppressed"]
    assert_nothing_recoverable(frame, TABLES_2D, out)


def test_a_cell_dominated_by_one_business_is_suppressed():
    # Four businesses, but one has 20 of the 23 participants (87 %).
    rows = [("A", "x", 1, 20), ("A", "x", 2, 1), ("A", "x", 3, 1), ("A", "x", 4, 1)]
    rows += many("A", "y", 10, 5) + many("B", "x", 20, 5) + many("B", "y", 30, 5)
    frame = micro(rows)
    out = protect(frame, TABLES_2D, measures=["participants", "needs"])
    assert cell(out, "A", "x")["reason"] == Reason.DOMINANCE
    assert_nothing_recoverable(frame, TABLES_2D, out)


def test_eighty_percent_exactly_is_not_dominance():
    rows = [("A", "x", 1, 8), ("A", "x", 2, 1), ("A", "x", 3, 1)]
    out = protect(micro(rows), [("m", "a")], measures=["participants", "needs"])
    assert not cell(out, "A", "x")["suppressed"]


def test_a_business_alone_in_a_cell_cannot_work_out_its_neighbour():
    # A,x and A,y each rest on one business; A's total is published (5 businesses) and A,z
    # is withheld with them. Business 1 knows A,x; if only A,x and A,y were withheld, it
    # could compute A,y from the total. Three withheld cells keep A,y safe.
    rows = [("A", "x", 1, 4), ("A", "y", 2, 3)] + many("A", "z", 10, 3)
    frame = micro(rows)
    out = protect(frame, [("m", "a"), ("m",)], measures=["participants", "needs"])
    assert cell(out, "A", "x")["reason"] == Reason.FEW
    assert cell(out, "A", "y")["reason"] == Reason.FEW
    assert cell(out, "A", "z")["suppressed"]


def test_a_forced_total_is_withheld_and_cannot_be_added_up():
    rows = many("A", "x", 0, 4) + many("A", "y", 10, 5)
    frame = micro(rows)
    out = protect(frame, [("a",), ()], measures=["participants", "needs"],
                  forced=[(ALL,)])
    total = out[out["a"] == ALL].iloc[0]
    assert total["suppressed"]
    # x + y would give the total away: one of them goes too.
    assert out["suppressed"].sum() == 2


def test_nothing_to_protect_in_an_empty_frame():
    out = protect(micro([]), TABLES_2D, measures=["participants", "needs"])
    assert out.empty


def test_published_values_blank_out_every_withheld_number():
    rows = many("A", "x", 0, 1, 7) + many("A", "y", 10, 5) + many("B", "x", 20, 4) \
        + many("B", "y", 30, 6)
    out = published_values(protect(micro(rows), TABLES_2D,
                                   measures=["participants", "needs"]),
                           ["participants", "needs"])
    withheld = out[out["suppressed"]]
    assert len(withheld) == 4
    assert withheld[["participants", "needs", "businesses"]].isna().all().all()


def test_a_three_dimensional_cube_with_all_marginals_leaks_nothing():
    rng = np.random.default_rng(7)
    rows = []
    for business in range(60):
        m = "ABCD"[rng.integers(0, 4)]
        for _ in range(rng.integers(1, 3)):
            rows.append({"m": m, "a": "xyz"[rng.integers(0, 3)], "l": "pq"[rng.integers(0, 2)],
                         "business": business, "participants": int(rng.integers(1, 6)),
                         "needs": 1})
    frame = pd.DataFrame(rows)
    tables = [("m", "a", "l"), ("m", "a"), ("m", "l"), ("a", "l"), ("m",), ("a",), ("l",), ()]
    out = protect(frame, tables, measures=["participants", "needs"])
    assert (out["reason"] == Reason.FEW).any()
    assert_nothing_recoverable(frame, tables, out)
