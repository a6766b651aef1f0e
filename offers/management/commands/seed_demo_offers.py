"""Demo offers from the demo providers: deterministic (`random.Random(2026)`) and idempotent
(keyed on external_id `DEMO-nn`, so a second run updates instead of duplicating)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from offers.models import Offer
from offers.services import offer_create, offer_publish, offer_update
from portal.models import CompetenceArea, Municipality, Organisation

# (title, description, area codes, level, hours, credits, format, price, on_demand)
CATALOGUE: list[tuple] = [
    ("Motorsagkurs – grunnkurs", "Sikker bruk av motorsag, vedlikehold og felling av trær. "
     "Gir motorsagsertifikat.", ["skog.motorsag"], "course", 16, None, "local", 4500, True),
    ("Motorsag for viderekomne: hogst i vanskelig terreng", "Retningsfelling, hengeveltede "
     "trær og vindfall.", ["skog.motorsag", "hms"], "course", 24, None, "workplace", 7900, True),
    ("Skogbruk og skogskjøtsel", "Planting, ungskogpleie og tynning for skogeiere.",
     ["skog"], "course", 20, None, "blended", 3500, False),
    ("Årlig FSE-kurs for elektrofagfolk", "Forskrift om sikkerhet ved arbeid i og drift av "
     "elektriske anlegg, med førstehjelp og HLR.", ["energi.fse"], "course", 8, None, "local",
     2900, True),
    ("FSE for kraftverksansatte", "Årlig elsikkerhetsopplæring tilpasset vannkraftverk.",
     ["energi.fse", "energi"], "course", 8, None, "workplace", 3400, True),
    ("Vannkraft og fornybar energi", "Drift og vedlikehold av små og store kraftverk.",
     ["energi"], "vocational_college", None, 30, "blended", 0, False),
    ("Helsefagarbeider for praksiskandidater", "Forberedelse til fagprøven i "
     "helsearbeiderfaget for deg med lang praksis.", ["helse.helsefagarbeider"],
     "trade_certificate", 300, None, "blended", 0, False),
    ("Demensomsorg i hjemmetjenesten", "Kommunikasjon, miljøbehandling og pårørendesamarbeid.",
     ["helse"], "higher_education", None, 15, "online", 0, False),
    ("Legemiddelhåndtering for helsefagarbeidere", "Kurs i trygg legemiddelhåndtering.",
     ["helse.helsefagarbeider", "helse"], "course", 12, None, "online", 2500, False),
    ("Miljøfyrtårn-sertifisering for reiselivsbedrifter", "Steg for steg mot "
     "Miljøfyrtårn for hotell, hytteutleie og servering.", ["reiseliv.miljosertifisering",
     "baerekraft"], "course", 14, None, "blended", 6000, True),
    ("Bærekraftig reisemål – merkeordningen", "Hvordan destinasjoner og bedrifter jobber "
     "med Bærekraftig reisemål.", ["reiseliv.miljosertifisering"], "course", 10, None,
     "online", 3000, False),
    ("Vertskap og service i hyttenæringen", "Gjestebehandling, booking og opplevelser.",
     ["reiseliv", "salg"], "course", 12, None, "local", 2200, True),
    ("Tømrerfaget for praksiskandidater", "Teori til fagprøven i tømrerfaget, kveldskurs.",
     ["bygg.tomrer"], "trade_certificate", 200, None, "local", 9500, False),
    ("Tømrer: energieffektiv rehabilitering av hytter", "Etterisolering, tetting og "
     "moderne løsninger i eldre bygg.", ["bygg.tomrer", "baerekraft"], "course", 21, None,
     "workplace", 8500, True),
    ("Byggteknisk forskrift (TEK17) i praksis", "Krav, dokumentasjon og kontroll.",
     ["bygg"], "course", 8, None, "online", 3900, False),
    ("Sveisekurs MIG/MAG – grunnkurs", "Praktisk sveising av stål med MIG/MAG, forberedelse "
     "til sveisesertifikat.", ["industri.sveising"], "course", 40, None, "local", 14500,
     True),
    ("Sveisesertifisering etter NS-EN ISO 9606-1", "Sertifiseringsprøve for sveisere.",
     ["industri.sveising", "industri"], "course", 24, None, "campus", 16000, False),
    ("Industri 4.0 og automatisering", "Sensorer, PLS og digitale tvillinger i små "
     "industribedrifter.", ["industri", "digital"], "vocational_college", None, 15,
     "blended", 0, False),
    ("Norsk for arbeidsinnvandrere A2–B1", "Norskopplæring på arbeidsplassen, med fagord "
     "fra bygg, renhold og reiseliv.", ["sprak.norsk-arbeidsinnvandrere"], "course", 60,
     None, "workplace", 5500, True),
    ("Norsk på nett for arbeidsinnvandrere", "Kveldskurs på nett, nivå A1–A2.",
     ["sprak.norsk-arbeidsinnvandrere", "sprak"], "course", 40, None, "online", 3200, False),
    ("HMS-kurs for ledere", "Lovpålagt HMS-opplæring for daglig leder etter "
     "arbeidsmiljøloven § 3-5.", ["hms", "ledelse"], "course", 16, None, "local", 4900, True),
    ("Førstehjelp og brannvern", "Praktisk førstehjelp og bruk av slokkeutstyr.",
     ["hms"], "course", 6, None, "workplace", 1800, True),
    ("Verneombudsopplæring (40 timer)", "Grunnopplæring for verneombud og AMU-medlemmer.",
     ["hms"], "course", 40, None, "blended", 6500, False),
    ("Digital markedsføring for små bedrifter", "Nettside, sosiale medier og annonser.",
     ["digital", "salg"], "course", 12, None, "online", 2900, False),
    ("Grunnleggende digitale ferdigheter", "E-post, sky, digital sikkerhet og regneark.",
     ["digital"], "course", 15, None, "local", 1500, True),
    ("Regnskap og økonomistyring for små bedrifter", "Budsjett, likviditet og nøkkeltall.",
     ["ledelse"], "higher_education", None, 7.5, "online", 0, False),
    ("Ledelse i små virksomheter", "Personalledelse, endring og strategi.",
     ["ledelse"], "higher_education", None, 15, "blended", 0, False),
    ("Grønn omstilling i landbruket", "Klimatiltak, energi og økonomi på gården.",
     ["landbruk", "baerekraft"], "course", 10, None, "local", 1200, True),
    ("Truckførerkurs T1–T4", "Sertifikat for truck i lager og industri.",
     ["transport"], "course", 24, None, "local", 6900, True),
]

PROVIDER_TOWNS = ["4020", "4005", "4003", "4001", "4036", "4026"]
REGION = ["4026", "4024", "4022", "4028", "4030", "4032", "4034", "4036"]
COPIES = 2  # each course runs twice (spring and autumn) at different places: 58 offers


def _unchanged(offer: Offer, data: dict, areas: list) -> bool:
    same_fields = all(getattr(offer, k) == v for k, v in data.items())
    same_areas = {a.pk for a in offer.areas.all()} == {a.pk for a in areas}
    return same_fields and same_areas and offer.status == Offer.Status.PUBLISHED


class Command(BaseCommand):
    help = "Create or update demo offers from the demo providers (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        providers = list(Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
                         .order_by("orgnr"))
        if not providers:
            self.stdout.write("No provider organisations yet; run seed_demo first.")
            return
        rng = random.Random(2026)
        areas = {a.code: a for a in CompetenceArea.objects.all()}
        municipalities = {m.code: m for m in Municipality.objects.all()}
        created = updated = 0
        n = 0
        for copy in range(COPIES):
            for i, (title, description, codes, level, hours, credits, fmt, price, on_demand) \
                    in enumerate(CATALOGUE):
                n += 1
                provider = providers[(i + copy) % len(providers)]
                # A sub-area the taxonomy lacks falls back to its top-level area.
                chosen = [areas.get(c) or areas.get(c.split(".")[0]) for c in codes]
                chosen = [a for a in chosen if a is not None]
                month = (rng.randint(1, 5) if copy == 0 else rng.randint(8, 11))
                start = dt.date(2027, month, rng.randint(1, 25))
                days = 1 if (hours or 0) <= 8 else rng.randint(2, 5)
                if level in ("trade_certificate", "vocational_college", "higher_education"):
                    days = rng.randint(90, 180)
                if fmt == "online":
                    place = None
                elif fmt == "campus":
                    place = municipalities.get(rng.choice(PROVIDER_TOWNS[:3]))
                else:
                    place = municipalities.get(rng.choice(REGION))
                data = {
                    "external_id": f"DEMO-{n:02d}", "title": title,
                    "description": description, "level": level, "hours": hours,
                    "credits": Decimal(str(credits)) if credits is not None else None,
                    "format": fmt, "municipality": place, "start_date": start,
                    "end_date": start + dt.timedelta(days=days - 1),
                    "application_deadline": start - dt.timedelta(days=rng.choice([14, 21, 30])),
                    "price_nok": Decimal(price), "min_participants": rng.choice([4, 6, 8]),
                    "max_participants": rng.choice([12, 16, 20]),
                    "language": "nb", "url": f"https://example.no/kurs/demo-{n:02d}",
                    "on_demand": on_demand,
                }
                existing = Offer.objects.filter(provider=provider,
                                                external_id=data["external_id"]).first()
                if existing is None:
                    offer_create(provider=provider, data=data, areas=chosen, publish=True)
                    created += 1
                elif _unchanged(existing, data, chosen):
                    continue  # a second run changes nothing and wakes no matching
                else:
                    offer = offer_update(offer=existing, data=data, areas=chosen)
                    if offer.status != Offer.Status.PUBLISHED:
                        offer_publish(offer=offer)
                    updated += 1
        self.stdout.write(f"Demo offers: {created} created, {updated} updated.")
