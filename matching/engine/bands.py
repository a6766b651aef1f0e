"""Score bands that mean the same on every page, in the gap report and in the barometer.

    strong    score >= 70   on topic and convenient: worth proposing
    possible  40 <= score < 70   on topic but something does not fit, or only partly on topic
    weak      score < 40    no real topical overlap: never proposed as a fit; a need whose best
                            score is weak is a gap

The scoring formula (scoring.py) is built so that an offer with no topical overlap stays below
POSSIBLE whatever distance, format, price and timing say, so "strong" always means on topic.
Other apps read the bands through `band_for` and the constants, never by re-spelling 70 and 40.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STRONG = 70.0
POSSIBLE = 40.0

STRONG_BAND, POSSIBLE_BAND, WEAK_BAND = "strong", "possible", "weak"
BANDS = (STRONG_BAND, POSSIBLE_BAND, WEAK_BAND)
LABELS = {
    STRONG_BAND: _("Strong match"),
    POSSIBLE_BAND: _("Possible match"),
    WEAK_BAND: _("Weak match"),
}


def band_for(score: float | None) -> str:
    """'strong', 'possible' or 'weak' (a missing score is weak: nothing fits)."""
    if score is None or score != score:  # None or NaN
        return WEAK_BAND
    if score >= STRONG:
        return STRONG_BAND
    if score >= POSSIBLE:
        return POSSIBLE_BAND
    return WEAK_BAND


def band_label(score: float | None) -> str:
    return str(LABELS[band_for(score)])
