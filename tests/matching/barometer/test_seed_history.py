"""seed_demo's history: two earlier, closed rounds whose needs differ, idempotent."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone

from matching.barometer import statistics
from matching.models import Match
from needs.models import Need, SurveyRound
from tests import factories


def test_two_closed_rounds_with_changing_needs_and_enrolments(db):
    for code in ("4022", "4036", "4026", "4034", "4028", "4030", "4032", "4024"):
        factories.BusinessFactory(municipality=factories.municipality(code), employees=10)
    factories.OfferFactory(areas=["skog"])
    factories.OfferFactory(areas=["energi"])
    call_command("seed_demo_history", stdout=io.StringIO())
    rounds = {r.year: r for r in SurveyRound.objects.all()}
    assert set(rounds) == {2025, 2026}
    assert all(r.closes_on < timezone.localdate() for r in rounds.values())
    counts = {year: Need.objects.filter(round=r).count() for year, r in rounds.items()}
    assert all(counts.values())
    by_area = {year: sorted(Need.objects.filter(round=r).values_list("area__code", "participants"))
               for year, r in rounds.items()}
    assert by_area[2025] != by_area[2026]  # the needs change from one year to the next
    assert Match.objects.filter(status=Match.Status.ENROLLED).exists()
    call_command("seed_demo_history", stdout=io.StringIO())  # idempotent
    assert {y: Need.objects.filter(round=r).count() for y, r in rounds.items()} == counts
    trend = statistics.public_history()
    assert [label for _r, label, _rel in trend] == ["2025", "2026"]
