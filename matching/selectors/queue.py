"""The adviser's work queue as its page reads it: one page of rows, and a count that stops at
a cap, each one SQL compiled once per process and key (split from `matching.selectors`, where
the queue itself is built: `match_queue`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from portal.compiled_queries import rows_around
from portal.filter_forms import ReferenceNames

from ..models import Match


@dataclass(frozen=True)
class QueueRow:
    """One line of the adviser's work queue, read as plain values."""

    pk: int
    score: float
    status: str
    decline_reason: str  # `Match.decline_reason_display`, "" without a reason
    need_name: str  # as `str(need)`: the title, else the area and the participants
    organisation_name: str
    municipality_name: str
    offer_title: str
    provider_name: str


# The page's matches are found by the queue's SQL (`{inner}`: their ids and scores, which the
# queue's index holds, `match_queue_cover`), then each one's columns, need and business, offer
# and provider are looked up by id. Each `LATERAL (... OFFSET 0)` is planned on its own: the
# same columns as one join of five tables took PostgreSQL longer to plan (1.5 ms) than to run.
_PAGE_SQL = """SELECT page.pk, page.score, m.status, m.response_reason, n.title,
    n.participants, n.area_id, n.name, n.municipality_id, o.title, o.name
FROM ({inner}) AS page (pk, score)
CROSS JOIN LATERAL (
    SELECT status, response_reason, need_id, offer_id FROM matching_match
    WHERE id = page.pk OFFSET 0) AS m
CROSS JOIN LATERAL (
    SELECT need.title, need.participants, need.area_id, business.name, business.municipality_id
    FROM needs_need need
    JOIN portal_organisation business ON business.id = need.organisation_id
    WHERE need.id = m.need_id OFFSET 0) AS n
CROSS JOIN LATERAL (
    SELECT offer.title, provider.name FROM offers_offer offer
    JOIN portal_organisation provider ON provider.id = offer.provider_id
    WHERE offer.id = m.offer_id OFFSET 0) AS o
ORDER BY page.score DESC, page.pk"""

# Elsewhere (SQLite, the zero-setup default, has no LATERAL): the same columns by plain joins.
_PAGE_SQL_PORTABLE = """WITH page (pk, score) AS ({inner})
SELECT page.pk, page.score, m.status, m.response_reason, need.title, need.participants,
    need.area_id, business.name, business.municipality_id, offer.title, provider.name
FROM page
JOIN matching_match m ON m.id = page.pk
JOIN needs_need need ON need.id = m.need_id
JOIN portal_organisation business ON business.id = need.organisation_id
JOIN offers_offer offer ON offer.id = m.offer_id
JOIN portal_organisation provider ON provider.id = offer.provider_id
ORDER BY page.score DESC, page.pk"""

_COUNT_SQL = "SELECT COUNT(*) FROM ({inner}) AS counted"


def queue_rows(queue: Callable[[], QuerySet[Match]], *, key: Hashable, bounds: slice,
               names: ReferenceNames) -> list[QueueRow]:
    """The rows of the slice `bounds` of the queue `queue()` (`match_queue`), built only when
    its SQL is compiled; `key`: everything that SQL depends on (filters, the reader's scope,
    the reference data's version). The area's label and the place's name come from the kept
    reference data (`names`), not two more joins."""
    rows = rows_around(("queue-page", key, bounds.start, bounds.stop),
                       lambda: queue().values("pk", "score")[bounds],
                       _PAGE_SQL if connection.vendor == "postgresql" else _PAGE_SQL_PORTABLE)
    return [QueueRow(
        pk=pk, score=score, status=status,
        decline_reason=Match(response_reason=reason).decline_reason_display() if reason else "",
        need_name=title or f"{names.areas.get(area_id, '')} ({participants})",
        organisation_name=business, municipality_name=names.municipalities.get(place, ""),
        offer_title=offer, provider_name=provider,
    ) for (pk, score, status, reason, title, participants, area_id, business, place, offer,
           provider) in rows]


class QueuePages:
    """The queue as `Paginator` slices it: a slice is that page's `QueueRow`s, read when it is
    taken (the paginator's count is set by the view, from the kept counts or a capped one)."""

    def __init__(self, queue: Callable[[], QuerySet[Match]], *, key: Hashable,
                 names: ReferenceNames) -> None:
        self.queue, self.key, self.names = queue, key, names

    def __getitem__(self, bounds: slice) -> list[QueueRow]:
        return queue_rows(self.queue, key=self.key, bounds=bounds, names=self.names)


def queue_count_up_to(queue: Callable[[], QuerySet[Match]], *, key: Hashable,
                      limit: int) -> int:
    """How many matches `queue()` holds, counting no further than `limit` (a scan that stops
    there, not a count of every match in the region); `key` as for `queue_rows`."""
    rows = rows_around(("queue-count", key, limit),
                       lambda: queue().order_by().values("pk")[:limit], _COUNT_SQL)
    return rows[0][0] if rows else 0
