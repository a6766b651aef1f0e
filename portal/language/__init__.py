"""Norwegian word forms, shared by the matching engine and the catalogue's full-text search.

Most of the region writes nynorsk, most course catalogues bokmål, and Norwegian glues words
together. So before words are stemmed and compared, both sides go through the same steps:

1. **Variants** (`nn_nb_variants.tsv`, a maintained data file): a nynorsk or alternative form is
   replaced by its one canonical (bokmål) form — "vedlikehald" → "vedlikehold",
   "leiar" → "leder". Inflected and compound forms of a listed word are found too: a listed
   word at the start of a word followed by an ending ("leiarane" → "lederane", which the
   stemmer then reduces like "lederne"), or followed by more word ("vedlikehaldsarbeid" →
   "vedlikeholdsarbeid"), or standing at the end of a compound ("hjelpepleiar" → "hjelpepleier").
2. **Compounds**: a long word is split into known parts ("motorsagkurs" → "motorsag", "kurs";
   "brannvernleder" → "brannvern", "leder"), against a vocabulary of the variant table's words,
   the taxonomy's labels and synonyms and `compound_words.txt`. The whole word is kept; the
   parts are extra terms, so the simple word finds the compound and the other way round.

Everything is a pure function of the data files, cached per word, so it costs little at scale.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
VARIANTS_FILE = _HERE / "nn_nb_variants.tsv"
COMPOUND_WORDS_FILE = _HERE / "compound_words.txt"

WORD = re.compile(r"[a-zæøåéèêóòôüäöà0-9]+")
# Endings a listed word may carry and still be that word (noun/adjective inflection, both forms).
ENDINGS = ("e", "a", "en", "et", "ar", "er", "ane", "ene", "ast", "s", "t")
LINKING = ("s", "e")  # compound joints: "vedlikeholds|arbeid", "hjelpe|pleier"
MIN_PART = 3
MIN_COMPOUND = 7
# Parts too common to stand for a compound on their own in a query ("sveise|kurs" must not
# find every course that mentions welding): dropped when a query word is split.
GENERIC_PARTS = frozenset({"kurs", "opplæring", "grunnkurs", "arbeid", "program", "system",
                           "plan", "kontroll", "teknikk"})


def _read_lines(path: Path) -> list[str]:
    return [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@cache
def variant_pairs() -> tuple[tuple[str, str], ...]:
    """The table as (variant, canonical) pairs, in file order."""
    pairs = []
    for line in _read_lines(VARIANTS_FILE):
        variant, canonical = line.split("\t")
        pairs.append((variant.strip().lower(), canonical.strip().lower()))
    return tuple(pairs)


@cache
def variants() -> dict[str, str]:
    return dict(variant_pairs())


@cache
def _canonical_forms() -> frozenset[str]:
    return frozenset(variants().values())


@cache
def _prefix_table() -> dict[str, str]:
    """Variants usable as the start of a longer word: the listed form and, when both forms end
    in -e, the form without it ("teneste" → "tenest" → "tjenest", for "tenesta", "tenestene")."""
    table = dict(variants())
    for variant, canonical in variants().items():
        if variant.endswith("e") and canonical.endswith("e") and len(variant) >= 6:
            table.setdefault(variant[:-1], canonical[:-1])
    return table


@cache
def vocabulary() -> frozenset[str]:
    """Known whole words (canonical forms) a compound may be made of."""
    words: set[str] = set(variants().values())
    words.update(w.lower() for w in _read_lines(COMPOUND_WORDS_FILE))
    from portal.reference_data.taxonomy import AREAS

    def add_text(text: str) -> None:
        for word in WORD.findall(text.lower()):
            if len(word) >= MIN_PART:
                words.add(normalise_word(word, split=False))

    for area in AREAS:
        for node in [area, *area.get("children", [])]:
            for key in ("nb", "nn", "en"):
                add_text(node.get(key, ""))
            for synonym in node.get("synonyms", []):
                add_text(synonym)
    return frozenset(w for w in words if len(w) >= MIN_PART)


def _prefix_variant(word: str) -> str | None:
    """A listed word at the start of `word`, followed by an ending or more word."""
    table = _prefix_table()
    for cut in range(len(word) - 1, 3, -1):
        head = word[:cut]
        canonical = table.get(head)
        if canonical is None:
            continue
        if word.startswith(canonical):  # already canonical: "trenger" is not "treng" + "er"
            return None
        rest = word[cut:]
        if rest in ENDINGS:
            return canonical + rest
        if cut >= 5 and len(rest) >= MIN_PART:
            return canonical + normalise_word(rest, split=False)
    return None


@lru_cache(maxsize=200_000)
def normalise_word(word: str, split: bool = True) -> str:
    """The canonical form of one lower-case word (unchanged when the table does not know it)."""
    table = variants()
    if word in table:
        return table[word]
    if len(word) < 5 or word in _canonical_forms():
        return word
    found = _prefix_variant(word)
    if found is not None:
        return found
    if split:
        # A listed word closing a compound: "hjelpe|pleiar" → "hjelpepleier".
        for cut in range(MIN_PART, len(word) - 4):
            tail = word[cut:]
            normal = table.get(tail) or _prefix_variant(tail)
            if normal is not None:
                return word[:cut] + normal
    return word


def _strip_ending(word: str) -> str | None:
    vocab = vocabulary()
    if word in vocab:
        return word
    for ending in sorted(ENDINGS, key=len, reverse=True):
        if word.endswith(ending) and word[: -len(ending)] in vocab:
            return word[: -len(ending)]
    return None


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The known parts of a (normalised) compound, longest first part first; () if none.

    "motorsagkurs" → ("motorsag", "kurs"); "brannvernleder" → ("brannvern", "leder");
    "vedlikeholdsarbeid" → ("vedlikehold", "arbeid"). A word that is itself known stays whole.
    """
    if len(word) < MIN_COMPOUND:
        return ()
    return _split(word, depth=0)


def _split(word: str, depth: int) -> tuple[str, ...]:
    vocab = vocabulary()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        heads = [head]
        if head[-1] in LINKING and len(head) > MIN_PART + 1:
            heads.append(head[:-1])
        for candidate in heads:
            if candidate not in vocab:
                continue
            whole_tail = _strip_ending(tail)
            if whole_tail is not None:
                return (candidate, whole_tail)
            if depth < 2 and len(tail) >= MIN_COMPOUND - 1:
                rest = _split(tail, depth + 1)
                if rest:
                    return (candidate, *rest)
    return ()


def query_parts(word: str) -> tuple[str, ...]:
    """The parts a (normalised) query word also matches as a whole, all of them together:
    only when at least two telling parts remain ("brannvernleder" → brannvern, leder)."""
    parts = tuple(p for p in split_compound(word) if p not in GENERIC_PARTS)
    return parts if len(parts) >= 2 else ()


def words(text: str) -> list[str]:
    """Lower-case words of a text (letters and digits, Norwegian letters included)."""
    return WORD.findall((text or "").lower())


@lru_cache(maxsize=200_000)
def expand_word(word: str) -> tuple[str, ...]:
    """The canonical form of a word followed by its compound parts and their parts
    ("brannvernlederkurs" → brannvernlederkurs, brannvernleder, kurs, brannvern, leder)."""
    normal = normalise_word(word)
    found = [normal]
    queue = list(split_compound(normal))
    while queue:
        part = queue.pop(0)
        if part not in found:
            found.append(part)
            queue.extend(split_compound(part))
    return tuple(found)


def normalise_text(text: str) -> str:
    """The text as canonical words with compound parts added, for `to_tsvector` and search.

    "Vedlikehald av motorsagkurs" → "vedlikehold av motorsagkurs motorsag kurs motor sag"."""
    return " ".join(part for word in words(text) for part in expand_word(word))
