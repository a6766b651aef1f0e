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
# A hyphenated abbreviation ("IK-Mat", "HMS-kurs") stays one word: split, "ik" and "mat" would
# match "ikke" and "materialer" in a welding course.
_WORD = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
# Words this short, or with a hyphen, are looked up as abbreviations among the areas' synonyms.
ABBREVIATION_MAX_LETTERS = 5
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


def is_abbreviation_candidate(word: str) -> bool:
    return "-" in word or len(word) <= ABBREVIATION_MAX_LETTERS


def abbreviation_areas(words: list[str]) -> dict[str, set[int]]:
    """Query words that are an area's synonym as written ("ik-mat", "hms", "fse", "hlr"),
    with the ids of those areas and their sub-areas. Such a word then means "offers in these
    areas" (or containing the exact word), never a prefix of unrelated words."""
    candidates = {w for w in words if is_abbreviation_candidate(w)}
    if not candidates:
        return {}
    from portal.models import CompetenceArea

    found: dict[str, set[int]] = {}
    areas = list(CompetenceArea.objects.filter(is_active=True).values_list(
        "pk", "parent_id", "synonyms"))
    for pk, _parent, synonyms in areas:
        words_of_area = {s.strip().lower() for s in (synonyms or "").split(";")}
        for word in candidates & words_of_area:
            found.setdefault(word, set()).add(pk)
    for ids in found.values():
        ids.update(pk for pk, parent, _syn in areas if parent in ids)
    return found


def postgres_query(words: list[str]) -> SearchQuery:
    """`to_tsquery('norwegian', 'w1:* & w2:*')`: the config stems each word, `:*` adds prefixes.

    The Snowball stemmer alone leaves "sveising" whole, which is no prefix of "sveisekurs"
    (stored as 'sveisekur'); stripping the common suffixes first ("sveis") makes the prefix
    match compounds and other inflections. The config then stems what is left.
    """
    # A hyphenated word is matched as the phrase it is, not as prefixes of its parts.
    raw = " & ".join(w if "-" in w else f"{crude_stem(w)}:*" for w in words)
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
