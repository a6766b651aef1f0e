"""Demo needs for the demo businesses: realistic, deterministic and safe to run twice.

Needs are spread so that several businesses share an area and season (chainsaw course in
spring, the yearly electrical safety course in winter, healthcare worker training in autumn,
hosting in early summer): the cohorts the matching engine should find. Each need's
`external_ref` ("demo-<orgnr>-<n>") makes a re-run update instead of duplicate. No signals are
sent: `seed_demo` runs `rematch` afterwards.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from needs.models import Need, SurveyResponse, SurveyRound
from needs.selectors import round_current
from portal.models import CompetenceArea, Organisation

# (area codes in order of preference, title, description, participants, level, formats,
#  season start month, priority, consequence)
TEMPLATES: list[tuple] = [
    (["skog.motorsag", "skog"], "Motorsagkurs før hogstsesongen",
     "Ansatte skal felle og kviste i bratt terreng og trenger motorsagsertifikat.", (2, 5),
     "course", ["local", "workplace"], 3, "high", "safety_risk"),
    (["energi.fse", "energi"], "Årlig FSE-kurs for montører",
     "Lovpålagt årlig opplæring i elsikkerhet (FSE) og førstehjelp for alle som jobber med "
     "anlegg.", (2, 6), "course", ["local", "online", "blended"], 1, "high", "regulatory"),
    (["helse.helsefagarbeider", "helse"], "Fagbrev som helsefagarbeider",
     "Assistenter med lang erfaring vil ta fagbrev som praksiskandidat ved siden av jobben.",
     (1, 4), "trade_certificate", ["blended", "online"], 9, "high", "cannot_recruit"),
    (["reiseliv.vertskap", "reiseliv"], "Vertskapskurs for sesongansatte",
     "Nye sesongansatte i hytte- og turistanlegg skal gi gjestene god service og informasjon "
     "om området.", (3, 8), "course", ["local", "workplace"], 5, "medium", "lost_orders"),
    (["reiseliv.miljosertifisering", "reiseliv"], "Miljøsertifisering av anlegget",
     "Vi vil bli Miljøfyrtårn-sertifisert og trenger en som kan lede arbeidet.", (1, 2),
     "course", ["online", "blended"], 10, "medium", "growth_postponed"),
    (["bygg.tomrer", "bygg"], "Fagbrev i tømrerfaget",
     "To medarbeidere uten fagbrev skal ta fagprøven som praksiskandidater.", (1, 3),
     "trade_certificate", ["local", "blended"], 8, "medium", "cannot_recruit"),
    (["industri.sveising", "industri"], "Sveisesertifikat",
     "Produksjonen trenger sertifiserte sveisere for å ta nye oppdrag.", (1, 3), "course",
     ["campus", "local"], 2, "high", "lost_orders"),
    (["sprak.norsk-arbeidsinnvandrere", "sprak"], "Norskopplæring for ansatte fra utlandet",
     "Ansatte fra Polen og Litauen trenger arbeidsrettet norsk for å forstå HMS-rutiner.",
     (2, 5), "course", ["local", "online", "workplace"], 9, "medium", "safety_risk"),
    (["digital"], "Digitale verktøy i hverdagen",
     "Timeføring, fakturering og nettbutikk: ansatte trenger grunnleggende digital kompetanse.",
     (2, 6), "course", ["online", "blended"], 10, "low", "growth_postponed"),
    (["ledelse"], "Økonomistyring for små bedrifter",
     "Daglig leder og kontormedarbeider vil lære budsjett, likviditet og regnskapsforståelse.",
     (1, 2), "vocational_college", ["online", "blended"], 8, "low", "growth_postponed"),
    (["hms"], "Verneombudskurs (40 timer)",
     "Nytt verneombud må ha den lovpålagte opplæringen.", (1, 1), "course",
     ["local", "online"], 2, "high", "regulatory"),
    (["baerekraft"], "Grønn omstilling i drifta",
     "Vi vil kutte energibruk og avfall og trenger kunnskap om klimaregnskap.", (1, 3),
     "higher_education", ["online", "blended"], 9, "low", "other"),
    (["landbruk"], "Drift av gård med turisme",
     "Kombinasjon av gårdsdrift og overnatting: vi trenger kurs i mattrygghet og "
     "gårdsturisme.", (1, 2), "course", ["local", "blended"], 4, "medium", "growth_postponed"),
    (["transport"], "Kompetansebevis for hjullaster og truck",
     "Sjåfører og lagerfolk mangler dokumentert opplæring på maskinene.", (2, 4), "course",
     ["local", "workplace"], 4, "medium", "regulatory"),
]
# Needs no demo offer covers (several in nynorsk, as the region writes): the gap report shows
# them. (area, title, description, participants, formats, start month)
UNCOVERED: list[tuple] = [
    ("energi", "Dronefotografering av kraftliner",
     "Vi treng pilotbevis for drone og opplæring i inspeksjon av master og liner frå lufta.",
     2, ["online", "local"], 4),
    ("landbruk", "Birøkt på garden",
     "Vi vil starte med bier og treng kunnskap om birøkt, biesjukdomar og slynging av "
     "honning.", 2, ["local", "blended"], 5),
    ("reiseliv", "Heiskontrollør for skitrekket",
     "Tilsette i skitrekket og stolheisen må sertifiserast for daglig kontroll av taubane.",
     3, ["local", "workplace"], 11),
    ("helse", "Teiknspråk i omsorgsarbeidet",
     "Fleire bebuarar har nedsett høyrsel; personalet treng grunnkurs i teiknspråk.",
     4, ["local", "online"], 9),
]
# Every business gets the pooled areas (first four) by turn, plus a few others.
POOLED = 4
CONSENTS = [SurveyResponse.Consent.NAMED, SurveyResponse.Consent.ANONYMOUS,
            SurveyResponse.Consent.STATISTICS]


class Command(BaseCommand):
    help = "Create realistic demo needs for the demo businesses (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--per-business", type=int, default=0,
                            help="Needs per business (default: enough for 60+ in total).")

    @transaction.atomic
    def handle(self, *args, per_business: int = 0, **options):
        rng = random.Random(2026)
        businesses = list(Organisation.objects.filter(kind=Organisation.Kind.BUSINESS)
                          .order_by("orgnr"))
        if not businesses:
            self.stdout.write("seed_demo_needs: no businesses yet (run seed_demo); nothing done.")
            return
        survey_round = round_current() or self._demo_round()
        per = per_business or max(3, -(-64 // len(businesses)))
        areas = {a.code: a for a in CompetenceArea.objects.filter(is_active=True)}
        year = survey_round.opens_on.year + 1
        created = updated = 0
        now = timezone.now()
        for index, org in enumerate(businesses):
            response, _ = SurveyResponse.objects.update_or_create(
                organisation=org, round=survey_round,
                defaults={"status": SurveyResponse.Status.SUBMITTED, "step": 5,
                          "overall_need": rng.choice(["some", "some", "large"]),
                          "measures": ["train_staff", rng.choice(["recruit_norway",
                                                                  "recruit_abroad"])],
                          "barriers": rng.sample(["time", "cost", "no_offer", "distance",
                                                  "dont_know"], 2),
                          "consent": CONSENTS[index % len(CONSENTS)], "submitted_at": now,
                          "language": "nb"},
            )
            picks = [TEMPLATES[(index + k) % POOLED] for k in range(min(2, per))]
            others = TEMPLATES[POOLED:]
            picks += [others[(index * 3 + k) % len(others)] for k in range(per - len(picks))]
            employees = org.employees or 10
            for n, template in enumerate(picks, start=1):
                codes, title, description, (low, high), level, formats, month, prio, cons = (
                    template)
                area = next((areas[c] for c in codes if c in areas), None)
                if area is None:
                    continue
                participants = max(1, min(rng.randint(low, high), employees))
                earliest = datetime.date(year, month, 1)
                latest = earliest + datetime.timedelta(days=rng.choice([45, 60, 90, 120]))
                defaults = {
                    "round": survey_round, "response": response, "area": area, "title": title,
                    "description": description, "participants": participants,
                    "to_train": participants, "to_recruit": 0, "level": level,
                    "formats": formats, "earliest_start": earliest, "latest_start": latest,
                    "max_travel_km": None if formats == ["online"] else rng.choice(
                        [30, 50, 80, 120]),
                    "budget_per_participant": Decimal(rng.choice([3000, 5000, 8000, 15000])),
                    "priority": prio, "consequence": cons,
                    "willing_to_share": rng.random() > 0.15,
                    "status": Need.Status.SUBMITTED, "submitted_at": now,
                }
                _need, was_created = Need.objects.update_or_create(
                    organisation=org, external_ref=f"demo-{org.orgnr}-{n}", defaults=defaults)
                created += was_created
                updated += not was_created
        for index, (code, title, description, participants, formats, month) in enumerate(
                UNCOVERED):
            org = businesses[(index * 5 + 2) % len(businesses)]
            if code not in areas:
                continue
            earliest = datetime.date(year, month, 1)
            _need, was_created = Need.objects.update_or_create(
                organisation=org, external_ref=f"demo-{org.orgnr}-gap-{index + 1}", defaults={
                    "round": survey_round, "area": areas[code], "title": title,
                    "description": description, "participants": participants,
                    "to_train": participants, "to_recruit": 0, "level": "course",
                    "formats": formats, "earliest_start": earliest,
                    "latest_start": earliest + datetime.timedelta(days=90),
                    "max_travel_km": 100, "budget_per_participant": Decimal(8000),
                    "priority": "medium", "consequence": "growth_postponed",
                    "willing_to_share": True, "status": Need.Status.SUBMITTED,
                    "submitted_at": now,
                    "response": SurveyResponse.objects.filter(organisation=org,
                                                              round=survey_round).first(),
                })
            created += was_created
            updated += not was_created
        self.stdout.write(self.style.SUCCESS(
            f"seed_demo_needs: {created} created, {updated} updated in {survey_round}."))

    def _demo_round(self) -> SurveyRound:
        today = timezone.localdate()
        survey_round, _ = SurveyRound.objects.get_or_create(
            name=f"Kompetansekartlegging {today.year}",
            defaults={"year": today.year, "opens_on": today - datetime.timedelta(days=14),
                      "closes_on": today + datetime.timedelta(days=60),
                      "intro": "Fortell oss hvilken kompetanse bedriften trenger det neste "
                               "året. Det tar om lag ti minutter."},
        )
        return survey_round
