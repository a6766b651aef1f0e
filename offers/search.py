"""Full-text search support for offers.

PostgreSQL: a stored, GIN-indexed `tsvector` (`norwegian` configuration) with title weight A,
description B and the areas' labels/synonyms C. Query words are stemmed by the same
configuration and matched as prefixes (`sveising` → `'sveis':*`), so a word in another
inflection or inside a compound ("Sveisekurs") is still found.
SQLite (development): every word must occur (icontains) in the title, description or areas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

SEARCH_CONFIG = "norwegian"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def search_words(q: str) -> list[str]:
    """The query's words; anything else (tsquery operators, quotes) is dropped, never passed on."""
    return [w.lower() for w in _WORD.findall(q or "")][:MAX_WORDS]


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def area_search_text(areas: Iterable) -> str:
    parts: list[str] = []
    for area in areas:
        parts += [area.label_nb, area.label_nn, area.label_en]
        parts += [s.strip() for s in (area.synonyms or "").split(";") if s.strip()]
    # Keep order stable and drop repeats (bokmål and nynorsk labels are often equal).
    return " ".join(dict.fromkeys(p for p in parts if p))


def offer_search_refresh(*, offer_ids: Iterable[int]) -> None:
    """Recompute the denormalised search columns of the given offers (two or three queries)."""
    from .models import Offer

    ids = list(offer_ids)
    if not ids:
        return
    through = Offer.areas.through
    texts: dict[int, list] = {pk: [] for pk in ids}
    rows = through.objects.filter(offer_id__in=ids).select_related("competencearea")
    for row in rows.order_by("competencearea__sort_order", "competencearea__code"):
        texts[row.offer_id].append(row.competencearea)
    changed = [Offer(pk=pk, search_areas=area_search_text(areas)) for pk, areas in texts.items()]
    Offer.objects.bulk_update(changed, ["search_areas"], batch_size=1000)
    if uses_postgres():
        Offer.objects.filter(pk__in=ids).update(
            search_vector=(
                SearchVector("title", weight="A", config=SEARCH_CONFIG)
                + SearchVector("description", weight="B", config=SEARCH_CONFIG)
                + SearchVector("search_areas", weight="C", config=SEARCH_CONFIG)
            )
        )
    # Bulk writes (this one, the import's) send no model signals: the cached pages go stale here.
    from portal.page_cache import page_cache_invalidate

    page_cache_invalidate("offers")


def postgres_query(words: list[str]) -> SearchQuery:
    """`to_tsquery('norwegian', 'w1:* & w2:*')`: the config stems each word, `:*` adds prefixes.

    The Snowball stemmer alone leaves "sveising" whole, which is no prefix of "sveisekurs"
    (stored as 'sveisekur'); stripping the common suffixes first ("sveis") makes the prefix
    match compounds and other inflections. The config then stems what is left.
    """
    raw = " & ".join(f"{crude_stem(w)}:*" for w in words)
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


_SUFFIXES = ("ingene", "ingen", "ing", "ene", "er", "en", "et", "e")


def crude_stem(word: str) -> str:
    """A rough Norwegian suffix strip for the SQLite fallback ("sveising" → "sveis")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def sqlite_filter(qs: QuerySet, words: list[str]) -> QuerySet:
    for word in (crude_stem(w) for w in words):
        qs = qs.filter(
            Q(title__icontains=word) | Q(description__icontains=word)
            | Q(search_areas__icontains=word)
        )
    return qs
