"""The shared Norwegian word forms: the variant table is data, well-formed and big enough;
nynorsk and bokmål forms meet; compounds split into their parts."""

import pytest

from portal import language


def test_the_variant_table_has_300_pairs_without_duplicates_or_chains():
    pairs = language.variant_pairs()
    assert len(pairs) >= 300
    variants = [v for v, _c in pairs]
    assert len(variants) == len(set(variants))
    canonical = {c for _v, c in pairs}
    assert not canonical & set(variants), "a canonical form must not itself be a variant"
    assert all(v != c and v == v.lower() and c == c.lower() for v, c in pairs)


@pytest.mark.parametrize(("nynorsk", "bokmal"), [
    ("vedlikehald", "vedlikehold"), ("leiar", "leder"), ("tilsett", "ansatt"),
    ("heimeteneste", "hjemmetjeneste"), ("sjukepleiar", "sykepleier"), ("høg", "høy"),
    ("korleis", "hvordan"),
])
def test_the_issues_word_pairs_meet(nynorsk, bokmal):
    assert language.normalise_word(nynorsk) == language.normalise_word(bokmal) == bokmal


@pytest.mark.parametrize(("word", "expected"), [
    ("leiarane", "lederane"),                   # inflected: the stemmer then meets "lederne"
    ("vedlikehaldsarbeid", "vedlikeholdsarbeid"),  # a listed word opening a compound
    ("hjelpepleiar", "hjelpepleier"),           # a listed word closing a compound
    ("heimetenesta", "hjemmetjenesta"),         # -e dropped before the ending
    ("trenger", "trenger"),                     # a canonical form is left alone
    ("garderobe", "garderobe"),                 # a short listed word is no prefix of anything
])
def test_inflected_and_compound_forms_of_listed_words(word, expected):
    assert language.normalise_word(word) == expected


@pytest.mark.parametrize(("word", "parts"), [
    ("motorsagkurs", {"motorsag", "kurs"}),
    ("truckførerkurs", {"truckfører", "kurs"}),
    ("brannvernleder", {"brannvern", "leder"}),
    ("brannvernleiar", {"brannvern", "leder"}),
])
def test_compounds_are_split_into_known_parts(word, parts):
    assert parts <= set(language.expand_word(word))


def test_normalise_text_keeps_the_whole_word_and_adds_the_parts():
    assert language.normalise_text("Vedlikehald av motorsagkurs") == \
        "vedlikehold av motorsagkurs motorsag kurs motor sag"
