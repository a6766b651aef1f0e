"""Benchmark: the public catalogue with a word search and two filters over 20 000 offers.

    .venv/bin/python bench/catalogue_search.py [--regenerate]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kp_bench_catalogue), creates and
migrates that database if needed, generates 20 000 published offers once (bulk_create), warms
up, then times N requests of the catalogue page through Django's test Client (URL resolving,
the search, the page's queries and template rendering) and prints median and p95 in ms.
Target: median under 50 ms.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

from setup_database import ensure_database  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench_catalogue")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")  # no query log: measure what production runs

OFFERS = 20_000
N = 50
WARMUP = 5
TARGET_MS = 50.0
QUERY = {"q": "sveising", "level": "course", "format": "local"}


VARIANTS = ["grunnkurs", "videregående kurs", "repetisjonskurs", "kveldskurs", "for ledere",
            "sertifisering", "for praksiskandidater", "nettkurs", "intensivkurs", "modul 1",
            "modul 2", "fordypning", "introduksjon", "for nyansatte", "i praksis"]
# Course names people use, by top-level area, next to the taxonomy's labels and synonyms.
EXTRA_TOPICS = {
    "industri": ["Sveisekurs", "Sveising av rustfritt stål", "CNC-maskinering", "Hydraulikk"],
    "skog": ["Motorsagkurs", "Skogsmaskinfører"], "transport": ["Truckførerkurs", "Krankurs"],
    "hms": ["Førstehjelpskurs", "Verneombudskurs"], "ledelse": ["Regnskapskurs", "Lederkurs"],
    "sprak": ["Norskkurs"], "energi": ["Elsikkerhetskurs", "Solcelleanlegg"],
    "bygg": ["Hyttebygging", "Ventilasjon og inneklima"], "salg": ["Kundeservice"],
    "digital": ["Excel-kurs", "Digital sikkerhet"], "helse": ["Demensomsorg", "Legemiddelkurs"],
    "reiseliv": ["Vertskapskurs", "Miljøfyrtårn"], "landbruk": ["Gårdsdrift", "Økologisk drift"],
    "baerekraft": ["Klimaregnskap"],
}


def generate() -> None:
    from stdnum.no import orgnr as orgnr_check

    from offers.models import Offer
    from offers.search import offer_search_refresh
    from portal.models import CompetenceArea, Municipality, Organisation

    if "--regenerate" not in sys.argv and Offer.objects.filter(
        status=Offer.Status.PUBLISHED
    ).count() >= OFFERS:
        print(f"reusing the {OFFERS} offers already in the database")
        return
    Offer.objects.all().delete()
    rng = random.Random(2026)
    providers = []
    base = 99_100_000
    while len(providers) < 20:
        stem = str(base)
        base += 1
        valid = [stem + d for d in "0123456789" if orgnr_check.is_valid(stem + d)]
        if not valid:
            continue
        org, _ = Organisation.objects.get_or_create(
            orgnr=valid[0],
            defaults={"name": f"Benchmark-leverandør {len(providers) + 1}",
                      "kind": Organisation.Kind.PROVIDER},
        )
        providers.append(org)
    areas = list(CompetenceArea.objects.all())
    munis = list(Municipality.objects.all())
    levels = ["course", "course", "course", "trade_certificate", "vocational_college",
              "higher_education"]
    formats = ["local", "local", "campus", "online", "blended", "workplace"]
    today = dt.date.today()
    offers, links = [], []
    for i in range(OFFERS):
        area = rng.choice(areas)
        topic = rng.choice([area.label_nb] * 2 + EXTRA_TOPICS.get(area.top_code, [])
                           + [s for s in area.synonyms.split(";") if s][:2])
        topic = topic[:1].upper() + topic[1:]
        level = rng.choice(levels)
        fmt = rng.choice(formats)
        muni = None if fmt == "online" else rng.choice(munis)
        start = today + dt.timedelta(days=rng.randint(-60, 500))
        offers.append(Offer(
            provider=rng.choice(providers), external_id=f"BENCH-{i}",
            title=f"{topic} – {rng.choice(VARIANTS)}",
            description=(f"{area.label_nb}: {topic.lower()} for bedrifter i "
                         f"{muni.name if muni else 'hele landet'}. Praktisk opplæring med "
                         "erfarne instruktører og tett oppfølging."),
            level=level, hours=rng.choice([8, 16, 24, 40]) if level == "course" else None,
            credits=rng.choice([7.5, 10, 15, 30]) if level in ("vocational_college",
                                                                "higher_education") else None,
            format=fmt, municipality=muni, start_date=start,
            end_date=start + dt.timedelta(days=rng.randint(0, 5)),
            price_nok=rng.choice([0, 1500, 2900, 4500, 8000, 12500]),
            on_demand=rng.random() < 0.2, status=Offer.Status.PUBLISHED,
        ))
        links.append((i, area))
    created = Offer.objects.bulk_create(offers, batch_size=2000)
    through = Offer.areas.through
    through.objects.bulk_create(
        [through(offer_id=created[i].pk, competencearea_id=a.pk) for i, a in links],
        batch_size=5000,
    )
    offer_search_refresh(offer_ids=[o.pk for o in created])
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics (as autovacuum would give a live database) so the planner sees
        # how selective the words are and uses the GIN index.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE offers_offer")
            cursor.execute("VACUUM ANALYZE offers_offer_areas")
    print(f"generated {len(created)} offers")


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    generate()
    client = Client()
    url = reverse("offers:catalogue")
    from offers.selectors import catalogue_search

    count = catalogue_search(dict(QUERY)).count()
    print(f"database: {connection.vendor}; offers: {OFFERS}; query: {QUERY}; hits: {count}")
    run(client, url, "server defaults")
    if connection.vendor == "postgresql":
        # On SSD storage random_page_cost=1.1 is the usual production setting; with the
        # default 4 the planner sometimes prefers a sequential scan over the GIN index.
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = 1.1")
        run(client, url, "random_page_cost=1.1")


def run(client, url: str, label: str) -> None:
    for _ in range(WARMUP):
        response = client.get(url, QUERY)
        assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(N):
        t0 = time.perf_counter()
        client.get(url, QUERY)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    print(f"catalogue search ({label}), N={N}: median {median:.1f} ms, p95 {p95:.1f} ms "
          f"(target: median < {TARGET_MS:.0f} ms) -> {'OK' if median < TARGET_MS else 'SLOW'}",
          flush=True)


if __name__ == "__main__":
    main()
