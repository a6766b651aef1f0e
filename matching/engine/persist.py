"""Writing the selected matches: bulk, in one transaction, never touching adviser decisions.

For the needs just scored: new top-K pairs are inserted or updated (score, components, reasons,
rank — never status, note or history); suggested matches that fell out are deleted; decided
matches that fell out stay, marked `is_current = False`. On PostgreSQL, needs with nothing
stored yet are COPY'd straight into the table; re-scored needs go through COPY into a
temporary table and set-based statements that write only what changed. Other databases use
bulk_create.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from ..models import Match, NeedMatchState
from .scoring import COMPONENTS

SUGGESTED = Match.Status.SUGGESTED


# The components as JSON text, formatted directly: json.dumps per row would dominate a run.
_COMPONENTS_JSON = "{" + ",".join(f'"{name}":%r' for name in COMPONENTS) + "}"


def write_matches(*, selection, reasons: list[str], need_ids: Sequence[int]) -> int:
    """Replaces the current matches of `need_ids` by the selection; returns rows written.

    `reasons` holds one JSON text per selected pair (explain.reasons_for_selection)."""
    now = timezone.now()
    components = np.round(selection.components.astype(np.float64), 3).tolist()
    rows = [
        (n, o, s, _COMPONENTS_JSON % tuple(c), r, k)
        for n, o, s, c, r, k in zip(selection.need_ids.tolist(), selection.offer_ids.tolist(),
                                    np.round(selection.scores, 1).tolist(), components,
                                    reasons, selection.ranks.tolist(), strict=True)
    ]
    states = [(int(n), selection.best.get(int(n)), selection.candidates.get(int(n), 0))
              for n in need_ids]
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(need_ids) <= FEW_NEEDS:
            _write_few(rows, states, now)
        elif connection.vendor == "postgresql":
            _write_postgresql(rows, states, now)
        else:
            _write_generic(rows, states, now)
    return len(rows)


_MATCH_COLUMNS = ("need_id, offer_id, score, components, reasons, rank, status, is_current, "
                  "adviser_note, response_reason, scored_at, updated_at")


def _copy_text(rows, suffix: str = ""):
    """COPY text-format lines, built in bulk: the values are numbers and JSON without tabs or
    newlines; backslashes are doubled as COPY requires. `suffix` appends constant columns."""
    for start in range(0, len(rows), 50_000):
        yield "".join(f"{n}\t{o}\t{s}\t{c}\t{r.replace(chr(92), chr(92) * 2)}\t{k}{suffix}\n"
                      for n, o, s, c, r, k in rows[start:start + 50_000])


# Up to this many needs (a submission, an offer's neighbours, a quiet night) are written by one
# statement from arrays; a temporary table's creation and statistics cost more than they save.
FEW_NEEDS = 2000

_WRITE_FEW = f"""
WITH new AS (
    SELECT * FROM unnest(%(need)s::bigint[], %(offer)s::bigint[], %(score)s::float8[],
                         %(components)s::jsonb[], %(reasons)s::jsonb[], %(rank)s::int[])
        AS t (need_id, offer_id, score, components, reasons, rank)
), scored AS (
    SELECT * FROM unnest(%(state_need)s::bigint[], %(best)s::float8[], %(candidates)s::int[])
        AS s (need_id, best_score, candidates)
), dropped AS (
    DELETE FROM matching_match m
    WHERE m.need_id = ANY(%(state_need)s) AND m.status = %(suggested)s
      AND NOT EXISTS (SELECT 1 FROM new t WHERE t.need_id = m.need_id
                      AND t.offer_id = m.offer_id)
), retired AS (
    UPDATE matching_match m SET is_current = false, rank = NULL
    WHERE m.need_id = ANY(%(state_need)s) AND m.status <> %(suggested)s AND m.is_current
      AND NOT EXISTS (SELECT 1 FROM new t WHERE t.need_id = m.need_id
                      AND t.offer_id = m.offer_id)
), written AS (
    INSERT INTO matching_match ({_MATCH_COLUMNS})
    SELECT need_id, offer_id, score, components, reasons, rank, %(suggested)s, true, '', '',
        %(now)s, %(now)s FROM new
    ON CONFLICT (need_id, offer_id) DO UPDATE SET
        score = EXCLUDED.score, components = EXCLUDED.components,
        reasons = EXCLUDED.reasons, rank = EXCLUDED.rank, is_current = true,
        updated_at = EXCLUDED.updated_at
    WHERE (matching_match.score, matching_match.rank, matching_match.is_current,
           matching_match.components, matching_match.reasons)
          IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.rank, true, EXCLUDED.components,
                            EXCLUDED.reasons)
)
INSERT INTO matching_needmatchstate (need_id, matched_at, best_score, candidates)
SELECT need_id, %(now)s, best_score, candidates FROM scored
ON CONFLICT (need_id) DO UPDATE SET matched_at = EXCLUDED.matched_at,
    best_score = EXCLUDED.best_score, candidates = EXCLUDED.candidates
"""


def _write_few(rows, states, now) -> None:
    """The same outcome as `_write_postgresql` in one round trip: data-modifying CTEs over
    the rows passed as arrays. They touch disjoint rows (dropped and retired pairs are the
    ones not kept; the upsert writes only kept pairs whose score or explanation changed)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_FEW, {
            "need": list(columns[0]), "offer": list(columns[1]), "score": list(columns[2]),
            "components": list(columns[3]), "reasons": list(columns[4]),
            "rank": list(columns[5]), "state_need": [s[0] for s in states],
            "best": [s[1] for s in states], "candidates": [s[2] for s in states],
            "suggested": SUGGESTED, "now": now})


def _write_postgresql(rows, states, now) -> None:
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY
        # ON COMMIT DROP cleans up in production; inside an outer transaction (tests, a caller's
        # atomic block) the tables would outlive this call, so drop them explicitly too.
        cursor.execute("DROP TABLE IF EXISTS kp_new_match, kp_scored_need")
        cursor.execute(
            "CREATE TEMP TABLE kp_scored_need (need_id bigint PRIMARY KEY, "
            "best_score double precision, candidates integer) ON COMMIT DROP")
        with cursor.copy("COPY kp_scored_need FROM STDIN") as copy:
            for state in states:
                copy.write_row(state)
        need_ids = [state[0] for state in states]
        if not (_nothing_stored(cursor, need_ids) and _copy_fresh(cursor, rows, now)):
            _merge(cursor, rows, need_ids, now)
        cursor.execute(
            """
            INSERT INTO matching_needmatchstate (need_id, matched_at, best_score, candidates)
            SELECT need_id, %s, best_score, candidates FROM kp_scored_need
            ON CONFLICT (need_id) DO UPDATE SET matched_at = EXCLUDED.matched_at,
                best_score = EXCLUDED.best_score, candidates = EXCLUDED.candidates
            """, [now])
        cursor.execute("DROP TABLE IF EXISTS kp_new_match, kp_scored_need")


def _nothing_stored(cursor, need_ids: list[int]) -> bool:
    cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM matching_match WHERE need_id = ANY(%s))",
                   [need_ids])
    return cursor.fetchone()[0]


def _copy_fresh(cursor, rows, now) -> bool:
    """Needs with no stored match (a first run, new needs): COPY straight into the table,
    without the comparisons a re-score needs. False if another worker stored one of these
    pairs meanwhile; the savepoint then undoes the attempt and the caller merges instead."""
    stamp = now.isoformat()
    cursor.execute("SAVEPOINT kp_fresh")
    try:
        with cursor.copy(f"COPY matching_match ({_MATCH_COLUMNS}) FROM STDIN") as copy:
            for text in _copy_text(rows, f"\t{SUGGESTED}\tt\t\t\t{stamp}\t{stamp}"):
                copy.write(text)
    except psycopg.errors.UniqueViolation:
        cursor.execute("ROLLBACK TO SAVEPOINT kp_fresh")
        return False
    cursor.execute("RELEASE SAVEPOINT kp_fresh")
    return True


def _merge(cursor, rows, need_ids: list[int], now) -> None:
    """Re-scored needs: through a temporary table, rewriting only what changed."""
    cursor.execute(
        "CREATE TEMP TABLE kp_new_match (need_id bigint, offer_id bigint, "
        "score double precision, components jsonb, reasons jsonb, rank integer) "
        "ON COMMIT DROP")
    with cursor.copy("COPY kp_new_match FROM STDIN") as copy:
        for text in _copy_text(rows):
            copy.write(text)
    cursor.execute("CREATE INDEX ON kp_new_match (need_id, offer_id)")
    # Statistics, so the planner sizes the joins below right: index probes for one need,
    # hash joins for a chunk of thousands. A small sample is plenty for two id columns.
    cursor.execute("SET LOCAL default_statistics_target = 10")
    cursor.execute("ANALYZE kp_new_match")
    cursor.execute("ANALYZE kp_scored_need")
    cursor.execute("RESET default_statistics_target")
    # Pairs already stored: rewrite only those whose score or explanation changed, so a
    # nightly run over unchanged data writes (and locks) almost nothing.
    cursor.execute(
        """
        UPDATE matching_match m SET score = t.score, components = t.components,
            reasons = t.reasons, rank = t.rank, is_current = true, updated_at = %s
        FROM kp_new_match t
        WHERE m.need_id = t.need_id AND m.offer_id = t.offer_id
          AND (m.score, m.rank, m.is_current, m.components, m.reasons)
              IS DISTINCT FROM (t.score, t.rank, true, t.components, t.reasons)
        """, [now])
    # New pairs. ON CONFLICT only matters when another worker wrote the same pair since.
    cursor.execute(
        f"""
        INSERT INTO matching_match ({_MATCH_COLUMNS})
        SELECT need_id, offer_id, score, components, reasons, rank,
            %s, true, '', '', %s, %s FROM kp_new_match t
        WHERE NOT EXISTS (SELECT 1 FROM matching_match m
                          WHERE m.need_id = t.need_id AND m.offer_id = t.offer_id)
        ON CONFLICT (need_id, offer_id) DO UPDATE SET
            score = EXCLUDED.score, components = EXCLUDED.components,
            reasons = EXCLUDED.reasons, rank = EXCLUDED.rank, is_current = true,
            updated_at = EXCLUDED.updated_at
        """, [SUGGESTED, now, now])
    # Stored pairs of these needs that fell out of the top K. A few needs (a submission,
    # an offer's neighbours) are named in an array so the (need_id, offer_id) index finds
    # their rows; a bulk run joins the scored needs.
    few = len(need_ids) <= 1000
    scope = "m.need_id = ANY(%s)" if few else \
        "m.need_id IN (SELECT need_id FROM kp_scored_need)"
    params = [need_ids] if few else []
    not_kept = (f"{scope} AND NOT EXISTS (SELECT 1 FROM kp_new_match t "
                "WHERE t.need_id = m.need_id AND t.offer_id = m.offer_id)")
    cursor.execute(f"DELETE FROM matching_match m WHERE m.status = %s AND {not_kept}",
                   [SUGGESTED, *params])
    cursor.execute(
        f"UPDATE matching_match m SET is_current = false, rank = NULL "
        f"WHERE m.status <> %s AND m.is_current AND {not_kept}", [SUGGESTED, *params])


def _write_generic(rows, states, now) -> None:
    Match.objects.bulk_create(
        [Match(need_id=n, offer_id=o, score=s, components=json.loads(c),
               reasons=json.loads(r), rank=k,
               status=SUGGESTED, is_current=True, scored_at=now, updated_at=now)
         for n, o, s, c, r, k in rows],
        update_conflicts=True, unique_fields=["need", "offer"],
        update_fields=["score", "components", "reasons", "rank", "is_current", "updated_at"],
        batch_size=500,
    )
    kept = {(n, o) for n, o, *_ in rows}
    need_ids = [s[0] for s in states]
    for start in range(0, len(need_ids), 500):
        chunk = need_ids[start:start + 500]
        existing = Match.objects.filter(need_id__in=chunk).values_list(
            "pk", "need_id", "offer_id", "status", "is_current")
        drop, retire = [], []
        for pk, need_id, offer_id, status, current in existing:
            if (need_id, offer_id) in kept:
                continue
            if status == SUGGESTED:
                drop.append(pk)
            elif current:
                retire.append(pk)
        Match.objects.filter(pk__in=drop).delete()
        Match.objects.filter(pk__in=retire).update(is_current=False, rank=None)
    NeedMatchState.objects.bulk_create(
        [NeedMatchState(need_id=n, matched_at=now, best_score=b, candidates=c)
         for n, b, c in states],
        update_conflicts=True, unique_fields=["need"],
        update_fields=["matched_at", "best_score", "candidates"], batch_size=500,
    )


def retire_matches(*, need_id: int) -> None:
    """A withdrawn need keeps its decided matches (history) and loses its suggestions."""
    with transaction.atomic():
        Match.objects.filter(need_id=need_id, status=SUGGESTED).delete()
        Match.objects.filter(need_id=need_id).exclude(status=SUGGESTED).update(
            is_current=False, rank=None)
        NeedMatchState.objects.update_or_create(
            need_id=need_id, defaults={"matched_at": timezone.now(), "best_score": None,
                                       "candidates": 0})
