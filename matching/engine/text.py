"""Text relevance between a need and an offer: TF-IDF over normalised, stemmed words plus
character 4-grams, the offer's title weighted above its description, the need's area labels
and synonyms as query expansion.

Every word first goes through `portal.language` (nynorsk and alternative forms → one canonical
form, compounds → their parts as extra terms), then the Snowball stemmer, so "vedlikehaldet",
"vedlikehold" and "vedlikeholdsarbeid" share a term, and "motorsagkurs" shares "motorsag"
with a need that says "motorsag". Character 4-grams of the normalised words catch what is left
(typos, compounds the vocabulary does not know).

Two vector spaces, each L2-normalised, are joined with weights √WORD_SHARE and √(1−WORD_SHARE),
so the dot product of two rows is WORD_SHARE · cos(words) + (1 − WORD_SHARE) · cos(4-grams).
The inverse document frequencies come from the live offers (the catalogue is the corpus).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from portal import language

_STEMMER = snowballstemmer.stemmer("norwegian")
PREFIX_LENGTH = 5
GRAM = 4
WORD_SHARE = 0.75       # of the similarity that comes from whole words (the rest: 4-grams)
TITLE_WEIGHT = 0.65     # of an offer's vector that comes from its title (the rest: description)
EXPANSION_WEIGHT = 0.15  # the need's area labels and synonyms, against the need's own words
# A need's own words that are also its area's words (labels, synonyms) say "which shelf", which
# the taxonomy already says: they count this much, so the words that set the need apart from
# its area decide between the offers on the shelf.
AREA_WORD_DAMP = 0.4
# The expansion only helps needs that say little themselves ("Stillas", a title alone): a need
# with this many words of its own is judged on them, so its area's words cannot carry it.
EXPANSION_MAX_WORDS = 3
SMALL_BATCH = 32  # texts vectorised by hand (_transform_small) rather than by scikit-learn
# Canonical (bokmål) forms: words that say nothing about the topic of a course or a need.
_STOP_TEXT = """
og i på til for med av som en et ei den det de er å om fra ved kurs kurset kursene kursa
opplæring opplæringen oss vi vår våre har skal trenger behov ansatte ansatt the and of in to
a an is are we our need needs course courses training staff at på fra får får gjennom innen
alle hele mange noen noe mer flere nye ny godt god bedre bedrift bedriften firma hos også
ikke bare kan vil må litt mest slik sånn hvordan hva hvem hvor hvorfor jeg han hun dem deres
være bli ble vært etter over under mellom uten mot sine sin sitt dette disse der her nå
år dag dager uke uker tid gang gjerne ønsker ønske trenge lære læring deltakere
lage lager laget bruke bruker starte start få gi gir gjøre gjør vite kunne kan snarest fort
mye mange flere nye selv egen eget egne vår våre oss hjelp hjelpe
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


@lru_cache(maxsize=300_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=300_000)
def _word_features(word: str) -> tuple[str, ...]:
    features: list[str] = []
    for part in language.expand_word(word):
        if len(part) < 3 or part in STOP_WORDS:
            continue
        features.append(_stem(part))
    normal = language.normalise_word(word)
    if len(normal) >= 8 and normal not in STOP_WORDS:
        features.append("~" + normal[:PREFIX_LENGTH])
    return tuple(features)


def analyse(text: str) -> list[str]:
    """Stemmed canonical words and compound parts, plus a prefix feature for long words."""
    features: list[str] = []
    for word in language.words(text):
        features.extend(_word_features(word))
    return features


@lru_cache(maxsize=300_000)
def _word_counts(text: str) -> Counter:
    return Counter(f for f in analyse(text) if not f.startswith("~"))


def _word_count(text: str) -> int:
    """Distinct topic words of a text (known to the catalogue or not)."""
    return len(_word_counts(text))


@lru_cache(maxsize=300_000)
def _word_grams(word: str) -> tuple[str, ...]:
    normal = language.normalise_word(word)
    if len(normal) < 5 or normal in STOP_WORDS:
        return ()
    padded = f"<{normal}>"
    return tuple(padded[i:i + GRAM] for i in range(len(padded) - GRAM + 1))


def analyse_grams(text: str) -> list[str]:
    grams: list[str] = []
    for word in language.words(text):
        grams.extend(_word_grams(word))
    return grams


@dataclass
class TextModel:
    words: TfidfVectorizer
    grams: TfidfVectorizer
    # Stemmed feature → the most common canonical word behind it in the catalogue, for
    # explanations ("Treff: motorsag, felling").
    display: dict[str, str] = field(default_factory=dict)
    word_names: np.ndarray | None = None
    _shown: np.ndarray | None = None
    _expansions: dict[str, sparse.csr_matrix] = field(default_factory=dict)

    @property
    def n_word_features(self) -> int:
        return len(self.words.vocabulary_)

    def _space(self, texts: list[str]) -> sparse.csr_matrix:
        if len(texts) <= SMALL_BATCH:
            w, g = _transform_small(self.words, texts), _transform_small(self.grams, texts)
        else:
            w, g = self.words.transform(texts), self.grams.transform(texts)
        return sparse.hstack([w * np.sqrt(WORD_SHARE), g * np.sqrt(1.0 - WORD_SHARE)],
                             format="csr", dtype=np.float32)

    def offer_vectors(self, titles: list[str], descriptions: list[str]) -> sparse.csr_matrix:
        if not titles:
            return self.empty()
        t = self._space(titles)
        d = self._space(descriptions)
        return _unit(TITLE_WEIGHT * t + (1.0 - TITLE_WEIGHT) * d)

    def need_vectors(self, texts: list[str], expansions: list[str]) -> sparse.csr_matrix:
        if not texts:
            return self.empty()
        own = self._space(texts)
        # Few distinct expansions (one per area): vectorise each once, and keep them with
        # the model (the catalogue's vocabulary) for the next need.
        unique, inverse = np.unique(np.array(expansions, dtype=object), return_inverse=True)
        missing = [e for e in unique.tolist() if e not in self._expansions]
        if missing:
            for expansion, row in zip(missing, self._space(missing), strict=True):
                self._expansions[expansion] = row
        extra = sparse.vstack([self._expansions[e] for e in unique.tolist()],
                              format="csr")[inverse]
        shelf = extra.copy()
        shelf.data[:] = 1.0
        own = own - (1.0 - AREA_WORD_DAMP) * own.multiply(shelf)
        own_words = np.array([_word_count(t) for t in texts])
        short = sparse.diags((own_words <= EXPANSION_MAX_WORDS).astype(np.float32))
        vectors = _unit(own + EXPANSION_WEIGHT * (short @ extra))
        known = np.array([self.known_share(t) for t in texts], dtype=np.float32)
        return sparse.diags(np.sqrt(WORD_SHARE * known + (1.0 - WORD_SHARE))) @ vectors

    def known_share(self, text: str) -> float:
        """The part of a need's word weight the catalogue knows at all. Words no offer uses
        ("tørrmuring", "birøkt") would otherwise vanish from the vector, leaving a stray
        common word to decide; they stay in the length as the rarest words would, so a need
        mostly about something the catalogue lacks keeps a low similarity to everything."""
        counts = _word_counts(text)
        if not counts:
            return 1.0
        vocabulary, idf = self.words.vocabulary_, self.words.idf_
        rarest = float(idf.max())
        total = known = 0.0
        for feature, n in counts.items():
            column = vocabulary.get(feature)
            weight = (1.0 + np.log(n)) * (rarest if column is None else float(idf[column]))
            total += weight * weight
            if column is not None:
                known += weight * weight
        return known / total if total else 1.0

    def empty(self) -> sparse.csr_matrix:
        width = len(self.words.vocabulary_) + len(self.grams.vocabulary_)
        return sparse.csr_matrix((0, width), dtype=np.float32)

    def feature_names(self) -> list[str]:
        return [*self.words.get_feature_names_out(),
                *("#" + g for g in self.grams.get_feature_names_out())]

    def feature_word(self, index: int) -> str:
        stem = str(self.word_names[index])
        return self.display.get(stem, stem.lstrip("~"))

    def shown_words(self) -> np.ndarray:
        """Per word feature the word shown in explanations ("" for prefix features)."""
        if self._shown is None:
            self._shown = np.array(
                ["" if str(name).startswith("~") else self.feature_word(i)
                 for i, name in enumerate(self.word_names)], dtype=object)
        return self._shown


def _transform_small(vectoriser: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """`vectoriser.transform(texts)` for a handful of texts (one new need), without
    scikit-learn's per-call validation, which costs more than the arithmetic: counts of the
    known features, 1 + log(count), times idf, each row scaled to length 1."""
    vocabulary, idf = vectoriser.vocabulary_, vectoriser.idf_
    analyser = vectoriser.build_analyzer()
    indptr, indices, counts = [0], [], []
    for document in texts:
        found = Counter(column for feature in analyser(document)
                        if (column := vocabulary.get(feature)) is not None)
        for column in sorted(found):
            indices.append(column)
            counts.append(found[column])
        indptr.append(len(indices))
    data = np.array(counts, dtype=idf.dtype)
    np.log(data, data)
    data += 1.0
    columns = np.array(indices, dtype=np.int32)
    data *= idf[columns]
    matrix = sparse.csr_matrix((data, columns, np.array(indptr, dtype=np.int32)),
                               shape=(len(texts), len(vocabulary)))
    return normalize(matrix, norm="l2", copy=False)


def _unit(matrix) -> sparse.csr_matrix:
    """Rows scaled to length 1 in each half (words, grams) jointly; empty rows stay empty."""
    return normalize(sparse.csr_matrix(matrix, dtype=np.float32), norm="l2", copy=False)


def fit(corpus: list[str]) -> TextModel:
    words = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, dtype=np.float32)
    grams = TfidfVectorizer(analyzer=analyse_grams, sublinear_tf=True, dtype=np.float32)
    texts = corpus if any(t.strip() for t in corpus) else []
    for vectoriser in (words, grams):
        try:
            vectoriser.fit(texts or ["kompetanseportalen"])
        except ValueError:  # only stop words: a one-word vocabulary matches nothing
            vectoriser.fit(["kompetanseportalen"])
    model = TextModel(words=words, grams=grams)
    model.word_names = words.get_feature_names_out()
    model.display = _display_words(corpus)
    return model


def _display_words(corpus: list[str]) -> dict[str, str]:
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in corpus:
        for word in language.words(text):
            for part in language.expand_word(word):
                if len(part) >= 3 and part not in STOP_WORDS:
                    seen[_stem(part)][part] += 1
    return {stem: counts.most_common(1)[0][0] for stem, counts in seen.items()}


def cosine_block(needs: sparse.csr_matrix, offers: sparse.csr_matrix) -> np.ndarray:
    """Dense (needs × offers) similarities for one block of candidate pairs."""
    if needs.shape[0] == 0 or offers.shape[0] == 0:
        return np.zeros((needs.shape[0], offers.shape[0]), dtype=np.float32)
    return np.asarray((needs @ offers.T).todense(), dtype=np.float32)


def matched_words(model: TextModel, needs: sparse.csr_matrix, offers: sparse.csr_matrix,
                  limit: int = 4) -> list[tuple[str, ...]]:
    """For row-aligned (need, offer) pairs: the words that contributed most to their
    similarity, strongest first (whole words only: 4-grams and prefix features are not shown
    to people). Vectorised: one sparse product, one sort; Python only joins the words."""
    width = model.n_word_features
    product = needs[:, :width].multiply(offers[:, :width]).tocoo()
    shown = model.shown_words()
    keep = shown[product.col] != ""
    rows, cols, vals = product.row[keep], product.col[keep], product.data[keep]
    order = np.lexsort((-vals, rows))
    rows, words = rows[order], shown[cols[order]]
    starts = np.searchsorted(rows, np.arange(product.shape[0] + 1))
    words = words.tolist()
    return [_distinct(tuple(words[a:b]), limit) if b > a else ()
            for a, b in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True)]


@lru_cache(maxsize=200_000)
def _distinct(words: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """Strongest first; a compound part inside a shown word is not shown again ("nettbutikk"
    covers "butikk"), and a longer word replaces the part shown before it."""
    kept: list[str] = []
    for word in words:
        inside = [k for k in kept if word in k or k in word]
        if not inside:
            kept.append(word)
        elif all(k in word for k in inside) and word not in kept:
            first = inside[0]
            kept = [word if k == first else k for k in kept if k == first or k not in inside]
    return tuple(kept[:limit])


_SPACES = re.compile(r"\s+")


def area_expansion(labels: list[str]) -> str:
    """The query expansion of an area: its labels (nb, nn, en) and synonyms as one text."""
    return _SPACES.sub(" ", " ".join(dict.fromkeys(s for s in labels if s))).strip()
