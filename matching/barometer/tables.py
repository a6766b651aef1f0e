"""The barometer's tables: what a page shows, a chart draws and an export writes, in one shape.

A table is a list of rows; each row has a label (and a code) and one `Cell` per column. A cell
that disclosure control withheld carries its reason and no value, so a template, a chart or an
export cannot show the number by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format


@dataclass
class Cell:
    value: float | int | None = None
    reason: str = ""  # non-empty: withheld (see disclosure.Reason)
    percent: bool = False

    @property
    def withheld(self) -> bool:
        return bool(self.reason)

    @property
    def number(self) -> float | int | None:
        """The value for charts and exports (None when withheld)."""
        return None if self.reason else self.value

    def __str__(self) -> str:
        if self.reason:
            return "–"
        if self.value is None:
            return "–"
        if self.percent:
            return f"{number_format(round(float(self.value)), 0)} %"
        if isinstance(self.value, float) and not float(self.value).is_integer():
            return number_format(self.value, 1, use_l10n=True, force_grouping=True)
        return number_format(int(self.value), 0, use_l10n=True, force_grouping=True)


@dataclass
class Column:
    key: str
    label: str


@dataclass
class Row:
    code: str
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[Row]
    summary: str = ""
    chart: str = ""  # server-rendered SVG (safe markup)
    row_header: str = ""

    @property
    def reasons(self) -> list[str]:
        """The withholding reasons that occur in this table, for its footnotes."""
        found = {cell.reason for row in self.rows for cell in row.cells if cell.reason}
        return [r for r in ("few", "dominance", "secondary") if r in found]

    def column_values(self, key: str) -> list[tuple[str, float | int | None, str]]:
        """(label, value or None, reason) of one column over the non-total rows."""
        index = [c.key for c in self.columns].index(key)
        return [(row.label, row.cells[index].number, row.cells[index].reason)
                for row in self.rows if not row.is_total]


@dataclass
class Figure:
    """A headline number with its label (the key-figure tiles at the top of a page)."""

    key: str
    label: str
    cell: Cell


@dataclass
class Report:
    """Everything one dashboard or public page shows."""

    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)
