"""Text similarity between a need and an offer: TF-IDF cosine over Norwegian-stemmed words.

Norwegian glues words together ("sveisekurs", "motorsagkurs"), and the Snowball stemmer leaves
"sveising" whole, so long words also contribute their first five letters as a feature: a need
saying "sveising" then shares "sveis…" with a course called "Sveisekurs".
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

_WORD = re.compile(r"[a-zæøåéüö0-9]+")
_STEMMER = snowballstemmer.stemmer("norwegian")
PREFIX_LENGTH = 5
STOP_WORDS = frozenset([
    "og", "i", "på", "til", "for", "med", "av", "som", "en", "et", "ei", "den", "det", "de",
    "er", "å", "om", "fra", "frå", "ved", "kurs", "kurset", "kursene", "opplæring", "for",
    "oss", "vi", "vår", "våre", "har", "skal", "trenger", "treng", "behov", "ansatte",
    "tilsette", "the", "and", "of",
])


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def analyse(text: str) -> list[str]:
    """Stemmed words plus a prefix feature for long (often compound) words."""
    features: list[str] = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        features.append(_stem(word))
        if len(word) >= 8:
            features.append("~" + word[:PREFIX_LENGTH])
    return features


def fit(corpus: list[str]) -> TfidfVectorizer:
    vectoriser = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, dtype=np.float32)
    try:
        vectoriser.fit(corpus)
    except ValueError:  # no offers (or only stop words): a one-word vocabulary matches nothing
        vectoriser.fit(["kompetanseportalen"])
    return vectoriser


def vectorise(vectoriser: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised rows, so a dot product is the cosine similarity."""
    if not texts:
        return sparse.csr_matrix((0, len(vectoriser.vocabulary_)), dtype=np.float32)
    return vectoriser.transform(texts).tocsr()


def cosine_block(needs: sparse.csr_matrix, offers: sparse.csr_matrix) -> np.ndarray:
    """Dense (needs × offers) cosine similarities for one block of candidate pairs."""
    if needs.shape[0] == 0 or offers.shape[0] == 0:
        return np.zeros((needs.shape[0], offers.shape[0]), dtype=np.float32)
    return np.asarray((needs @ offers.T).todense(), dtype=np.float32)


def cosine_one(need_text: str, offer_text: str, vectoriser: TfidfVectorizer) -> float:
    """The same measure for one pair (the plain-Python reference path uses it)."""
    rows = vectorise(vectoriser, [need_text, offer_text])
    return float(rows[0].multiply(rows[1]).sum())
