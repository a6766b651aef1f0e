"""Two earlier, closed survey rounds for the demo, so the barometer has a history to show.

Deterministic and idempotent (needs key on "demo-<orgnr>-<year>-<n>", answers on business and
round). The rounds differ the way real years do: fewer businesses answered in 2025, needs and
participants grow, coverage (needs that ended in an enrolment) shifts. It lives in `matching`
because an enrolment is a match; `seed_demo` runs it after the needs and before `rematch`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from needs.management.commands.seed_demo_needs import TEMPLATES
from needs.models import Need, SurveyResponse, SurveyRound
from offers.models import Offer
from portal.models import CompetenceArea, Organisation

from ...models import Match

# (year, opens, closes, share of businesses that answered, share of needs met)
HISTORY = [
    (2025, dt.date(2024, 11, 1), dt.date(2025, 2, 28), 0.6, 0.45),
    (2026, dt.date(2025, 11, 1), dt.date(2026, 2, 28), 0.85, 0.35),
]
CONSENTS = [SurveyResponse.Consent.NAMED, SurveyResponse.Consent.ANONYMOUS,
            SurveyResponse.Consent.STATISTICS]


class Command(BaseCommand):
    help = "Create two earlier, closed demo survey rounds with answers and needs (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        businesses = list(Organisation.objects.filter(kind=Organisation.Kind.BUSINESS)
                          .order_by("orgnr"))
        if not businesses:
            self.stdout.write("seed_demo_history: no businesses yet; nothing done.")
            return
        areas = {a.code: a for a in CompetenceArea.objects.filter(is_active=True)}
        total = 0
        for year, opens, closes, answered, met in HISTORY:
            survey_round, _ = SurveyRound.objects.get_or_create(
                name=f"Kompetansekartlegging {year}",
                defaults={"year": year, "opens_on": opens, "closes_on": closes,
                          "intro": f"Kartleggingen for {year}."})
            rng = random.Random(year)
            for index, org in enumerate(businesses):
                if rng.random() > answered:
                    continue
                total += self._business(org, index, survey_round, year, rng, areas, met)
        self.stdout.write(self.style.SUCCESS(
            f"seed_demo_history: {total} needs in {len(HISTORY)} earlier rounds."))

    def _business(self, org, index, survey_round, year, rng, areas, met) -> int:
        submitted = timezone.make_aware(dt.datetime.combine(survey_round.opens_on,
                                                            dt.time(10)))
        response, _ = SurveyResponse.objects.update_or_create(
            organisation=org, round=survey_round,
            defaults={"status": SurveyResponse.Status.SUBMITTED, "step": 5,
                      "overall_need": rng.choice(["none", "some", "some", "large"]),
                      "measures": rng.sample(["train_staff", "recruit_norway",
                                              "recruit_abroad", "hire_in"], 2),
                      "barriers": rng.sample(["time", "cost", "no_offer", "distance",
                                              "dont_know"], rng.randint(1, 3)),
                      "consent": CONSENTS[(index + year) % len(CONSENTS)],
                      "submitted_at": submitted, "language": "nb"})
        count = 0
        for n in range(1, rng.randint(2, 4) + 1):
            template = TEMPLATES[(index * 2 + n + year) % len(TEMPLATES)]
            codes, title, description, (low, high), level, formats, month, prio, cons = template
            area = next((areas[c] for c in codes if c in areas), None)
            if area is None:
                continue
            # Needs grow from year to year (more participants in the later round).
            grow = 1 if year >= 2026 else 0
            participants = max(1, min(rng.randint(low, high) + grow, org.employees or 10))
            earliest = dt.date(year, month, 1)
            is_met = rng.random() < met
            status = (Need.Status.COVERED if is_met else Need.Status.WITHDRAWN
                      if rng.random() < 0.1 else Need.Status.IN_BROKERING)
            need, _ = Need.objects.update_or_create(
                organisation=org, external_ref=f"demo-{org.orgnr}-{year}-{n}",
                defaults={"round": survey_round, "response": response, "area": area,
                          "title": title, "description": description,
                          "participants": participants, "to_train": participants,
                          "level": level, "formats": formats, "earliest_start": earliest,
                          "latest_start": earliest + dt.timedelta(days=90),
                          "max_travel_km": rng.choice([30, 50, 80, 120]),
                          "budget_per_participant": Decimal(rng.choice([3000, 5000, 8000])),
                          "priority": prio, "consequence": cons,
                          "status": status,
                          "outcome": Need.Outcome.MET if is_met else Need.Outcome.NOT_MET,
                          "submitted_at": submitted})
            count += 1
            if is_met:
                self._enrolment(need, area)
        return count

    def _enrolment(self, need: Need, area: CompetenceArea) -> None:
        top = area.code.split(".", 1)[0]
        offer = (Offer.objects.filter(status=Offer.Status.PUBLISHED)
                 .filter(Q(areas__code=top) | Q(areas__code__startswith=f"{top}."))
                 .order_by("pk").first())
        if offer is None:
            return
        Match.objects.update_or_create(
            need=need, offer=offer,
            defaults={"score": 75.0, "status": Match.Status.ENROLLED, "is_current": True,
                      "components": {}, "reasons": []})
