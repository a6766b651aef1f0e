"""A list page's `.values()` query compiled to SQL once per process and set of inputs.

Building the adviser's queue through its filters and joins and compiling it to SQL cost
Django more CPU (0.6 ms of a 3.5 ms page) than PostgreSQL took to run it. The SQL of one page
of a list depends only on what the caller puts in `key` (the filter values, the reader's
municipality scope, the page's slice), so it is kept under that key and run with the cursor,
the rows given as `.values()` gives them, through the same converters (a JSON column's
`from_db_value`); `values_rows_by_id`: one SQL for every id (a page's history); `rows_around`:
a hand-written query around the compiled one (the adviser's queue reads its page's columns
that way). A query that can match nothing is simply evaluated as it is, and not kept. The
schema does not change under a running process (a migration comes with a new deploy).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connections, models, router
from django.db.models import QuerySet

BIGINT_MAX = 2**63 - 1  # a database id column's largest value
MEMO_SIZE = 500  # distinct keys kept; they come from the URL's filters

# alias, SQL, parameters, the columns' names, their converters (`SQLCompiler.get_converters`)
Compiled = tuple[str, str, tuple, tuple[str, ...], dict]

_compiled: dict[Hashable, Compiled | None] = {}


def values_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[dict]:
    """`list(build())`, `build()` being a `.values()` queryset whose SQL is fully decided by
    `key`; compiled on the first call with that key only."""
    if key not in _compiled:
        queryset = build()
        if len(_compiled) >= MEMO_SIZE:
            _compiled.clear()
        _compiled[key] = _compile(queryset)
    entry = _compiled[key]
    if entry is None:
        return list(build())
    return _run(*entry)


def _run(alias: str, sql: str, params, names: tuple[str, ...], converters: dict) -> list[dict]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:  # as `SQLCompiler.apply_converters`
        rows = [list(row) for row in rows]
        for row in rows:
            for index, (functions, expression) in converters.items():
                value = row[index]
                for function in functions:
                    value = function(value, expression, connection)
                row[index] = value
    return [dict(zip(names, row, strict=True)) for row in rows]


def _compile(queryset: QuerySet) -> Compiled | None:
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    # The columns' names as `ValuesIterable` reads them (annotations among the fields too).
    names = tuple(query.selected) if query.selected else (
        *query.extra_select, *query.values_select, *query.annotation_select)
    columns = [expression for expression, _sql, _alias in compiler.select]
    if len(columns) != len(names):
        return None
    return queryset.db, sql, tuple(params), names, compiler.get_converters(columns)


_around: dict[Hashable, tuple[str, str, tuple] | None] = {}


def rows_around(key: Hashable, build: Callable[[], QuerySet], sql: str) -> list[tuple]:
    """The rows (tuples) of `sql`, in which `{inner}` stands for the SQL of `build()`, a
    queryset whose SQL is fully decided by `key` (compiled on the first call with that key
    only): an outer query around Django's, for what the ORM cannot write (a page's columns
    read by a join on the few rows of its slice). The outer query's columns are given as
    the driver reads them (no converters), so it should name plain ones. An inner query that
    can match nothing gives no rows."""
    if key not in _around:
        queryset = build()
        if len(_around) >= MEMO_SIZE:
            _around.clear()
        try:
            inner, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:
            _around[key] = None
        else:
            _around[key] = (queryset.db, sql.format(inner=inner), tuple(params))
    entry = _around[key]
    if entry is None:
        return []
    alias, full_sql, params = entry
    with connections[alias].cursor() as cursor:
        cursor.execute(full_sql, params)
        return cursor.fetchall()


# Stand for the ids in the SQL compiled by `values_rows_by_id`: no table holds them.
STAND_IN_ID = -2_147_483_000

# Compiled with stand-ins (None: not keepable), with where each stand-in's parameter is.
_by_id: dict[Hashable, tuple[Compiled, tuple[int, ...]] | None] = {}


def values_rows_by_id(key: Hashable, build: Callable[..., QuerySet], *ids: int) -> list[dict]:
    """`list(build(*ids))`, `build(*ids)` being a `.values()` queryset whose SQL is fully
    decided by `key` and the ids: compiled once with stand-in ids (`values_rows_with`)."""
    return values_rows_with(key, build, tuple(STAND_IN_ID - i for i in range(len(ids))), ids)


def values_rows_with(key: Hashable, build: Callable[..., QuerySet], stand_ins: tuple,
                     values: tuple) -> list[dict]:
    """`list(build(*values))`, `build(*values)` being a `.values()` queryset whose SQL is fully
    decided by `key`, each of `values` one of its parameters as the database gets it (a
    cursor's position, an id): compiled once with `stand_ins` (values of the same types that
    no real query holds), which `values` replace in the parameters. Kept only if each
    stand-in shows up exactly once among them."""
    if key not in _by_id:
        entry = _compile(build(*stand_ins))
        places = [] if entry is None else [
            [i for i, value in enumerate(entry[2]) if value == stand_in] for stand_in in stand_ins]
        if len(_by_id) >= MEMO_SIZE:
            _by_id.clear()
        _by_id[key] = (entry, tuple(found[0] for found in places)) if places and all(
            len(found) == 1 for found in places) else None
    kept = _by_id[key]
    if kept is None or any(_out_of_column_range(value) for value in values):
        # Django's own query knows an id no column can hold matches nothing; SQLite's driver
        # would refuse it with an OverflowError.
        return list(build(*values))
    (alias, sql, params, names, converters), places = kept
    params = list(params)
    for place, value in zip(places, values, strict=True):
        params[place] = value
    return _run(alias, sql, params, names, converters)


def _out_of_column_range(value) -> bool:
    return isinstance(value, int) and not -BIGINT_MAX - 1 <= value <= BIGINT_MAX


# Stand for a cursor's position in the SQL `PagedRows` compiles, by the ordering field's type:
# no row holds them.
POSITION_STAND_INS = (
    (models.DateTimeField, datetime(1900, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)),
    (models.FloatField, -1.2345e300),
    (models.IntegerField, STAND_IN_ID),
)


class PagedRows:
    """A list's `.values()` rows as a cursor paginator asks for them (ordered, past the
    cursor's position, one slice), run as SQL compiled once per process for `key` and that
    shape of page: `build` (the selector's filters and joins, the columns) runs only the
    first time. The position, the one value that changes from page to page, is a parameter,
    compiled with a stand-in of its type; a position Django cannot read goes the way it always
    went (the query is built, and Django says what is wrong).

    `times`: date and time columns the paginator reads (the ordering's) -> the `.values()`
    name of their text, which `build` selects: parsed by `datetime.fromisoformat` (C), the
    same value as psycopg's loader gives, which parses each in Python at many times the cost."""

    def __init__(self, key: Hashable, build: Callable[[], QuerySet], model: type[models.Model],
                 *, times: dict[str, str] | None = None, steps: tuple = ()):
        self.key, self.build, self.model, self.times, self.steps = key, build, model, times, steps

    def _then(self, *step) -> PagedRows:
        return PagedRows(self.key, self.build, self.model, times=self.times,
                         steps=(*self.steps, step))

    def order_by(self, *fields: str) -> PagedRows:
        return self._then("order_by", fields)

    def filter(self, **lookups) -> PagedRows:
        ((lookup, value),) = lookups.items()  # the cursor's position
        return self._then("filter", lookup, value)

    def __getitem__(self, bounds: slice) -> PagedRows:
        return self._then("slice", bounds.start, bounds.stop)

    def _queryset(self, *positions) -> QuerySet:
        queryset, given = self.build(), iter(positions)
        for step in self.steps:
            if step[0] == "order_by":
                queryset = queryset.order_by(*step[1])
            elif step[0] == "filter":
                queryset = queryset.filter(**{step[1]: next(given)})
            else:
                queryset = queryset[step[1]:step[2]]
        return queryset

    def __iter__(self):
        rows = self._rows()
        for name, text in (self.times or {}).items():
            for row in rows:
                value = row[text]
                row[name] = None if value is None else datetime.fromisoformat(value)
        return iter(rows)

    def _rows(self) -> list[dict]:
        shape = (self.key, *(step[:2] if step[0] == "filter" else step for step in self.steps))
        positions = [step[2] for step in self.steps if step[0] == "filter"]
        if not positions:
            return values_rows(shape, self._queryset)
        connection = connections[router.db_for_read(self.model)]
        stand_ins, params = [], []
        for _filter, lookup, value in (step for step in self.steps if step[0] == "filter"):
            try:
                field = self.model._meta.get_field(lookup.split("__")[0])
                # What the lookup sends the database for the value.
                params.append(field.get_db_prep_value(value, connection))
            except (FieldDoesNotExist, TypeError, ValueError, ValidationError):
                return list(self._queryset(*positions))
            stand_in = next((s for kind, s in POSITION_STAND_INS if isinstance(field, kind)), None)
            if stand_in is None:
                return list(self._queryset(*positions))
            stand_ins.append(stand_in)
        return values_rows_with(shape, self._queryset, tuple(stand_ins), tuple(params))
