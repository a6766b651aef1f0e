"""Full-text search support for offers.

PostgreSQL: a stored, GIN-indexed `tsvector` (`norwegian` configuration) with title weight A,
description B and the areas' labels/synonyms C. Before `to_tsvector`, every text goes through
`portal.language.normalise_text` (the same normalisation the matching engine uses): nynorsk
and alternative forms become their one canonical form ("vedlikehald" → "vedlikehold") and
compounds get their parts added ("motorsagkurs" → "motorsagkurs motorsag kurs"). Query words
are normalised the same way, stemmed by the configuration and matched as prefixes
(`sveising` → `'sveis':*`); a compound query word also matches its parts together
("brannvernleder" finds "leder for brannvern"). So a nynorsk query finds the bokmål title,
a bokmål query the nynorsk one, and a simple word the compound.
SQLite (development): every word (its canonical form or as typed) must occur (icontains) in
the title, description or areas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import snowballstemmer
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet

from portal import language

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
        search_vectors_write(
            (pk, title, description, areas)
            for pk, title, description, areas in Offer.objects.filter(pk__in=ids).values_list(
                "pk", "title", "description", "search_areas"))
    # Bulk writes (this one, the import's) send no model signals: the cached pages go stale here.
    from portal.page_cache import page_cache_invalidate

    page_cache_invalidate("offers")


def search_vectors_write(rows: Iterable[tuple[int, str, str, str]], batch: int = 2000) -> None:
    """Store the weighted tsvector of (id, title, description, area text) rows, built from the
    normalised texts: one UPDATE per batch (PostgreSQL only)."""
    chunk: list[tuple[int, str, str, str]] = []

    def flush() -> None:
        if not chunk:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE offers_offer o SET search_vector =
                    setweight(to_tsvector(%s::regconfig, v.t), 'A')
                    || setweight(to_tsvector(%s::regconfig, v.d), 'B')
                    || setweight(to_tsvector(%s::regconfig, v.a), 'C')
                FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, t, d, a)
                WHERE o.id = v.id
                """,
                [SEARCH_CONFIG, SEARCH_CONFIG, SEARCH_CONFIG, [r[0] for r in chunk],
                 [language.normalise_text(r[1]) for r in chunk],
                 [language.normalise_text(r[2]) for r in chunk],
                 [language.normalise_text(r[3]) for r in chunk]])
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            flush()
    flush()


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
    """`to_tsquery('norwegian', 'w1:* & (w2:* | (p1:* & p2:*))')`: each word in its canonical
    form; a compound also as all its parts; the config stems each term, `:*` adds prefixes.

    The Snowball stemmer alone leaves "sveising" whole, which is no prefix of "sveisekurs"
    (stored as 'sveisekur'); stripping the common suffixes first ("sveis") makes the prefix
    match compounds and other inflections. The config then stems what is left.
    """
    # A hyphenated word is matched as the phrase it is, not as prefixes of its parts.
    raw = " & ".join(w if "-" in w else _query_term(w) for w in words)
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


def _query_term(word: str) -> str:
    normal = language.normalise_word(word)
    term = f"{query_stem(normal)}:*"
    parts = language.query_parts(normal)
    if not parts:
        return term
    together = " & ".join(f"{query_stem(p)}:*" for p in parts)
    return f"({term} | ({together}))"


_STEMMER = snowballstemmer.stemmer("norwegian")


def query_stem(word: str) -> str:
    """The prefix to search for: the crude strip when it is a prefix of the Snowball stem
    ("sveising" → "sveis"), else the Snowball stem itself ("sikkerhet" → "sikker", which the
    crude strip would cut to "sikkerh", no prefix of the stored 'sikker')."""
    stem, crude = _STEMMER.stemWord(word), crude_stem(word)
    return crude if stem.startswith(crude) else stem


_SUFFIXES = ("ingene", "ingen", "ing", "ene", "er", "en", "et", "e")


def crude_stem(word: str) -> str:
    """A rough Norwegian suffix strip for the SQLite fallback ("sveising" → "sveis")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def sqlite_filter(qs: QuerySet, words: list[str]) -> QuerySet:
    for word in words:
        condition = Q()
        for form in {crude_stem(word), crude_stem(language.normalise_word(word))}:
            condition |= (Q(title__icontains=form) | Q(description__icontains=form)
                          | Q(search_areas__icontains=form))
        qs = qs.filter(condition)
    return qs
