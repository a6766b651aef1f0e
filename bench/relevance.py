"""Relevance benchmark: does the engine rank offers the way an adviser would?

    .venv/bin/python bench/relevance.py [--part tuning|held-out|both]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kp_bench_relevance), creates
and migrates it, loads the hand-written catalogue (bench/relevance_offers.py: 152 live offers
and 6 expired ones) and needs (bench/relevance_needs.py: 99 needs, 59 in nynorsk, 12 that
nothing covers, graded 0/1/2 per topic), runs the engine on them and prints, per part:

  nDCG@5      graded gain (2^grade − 1) of the first five offers against the ideal order
  hit@1       share of covered needs whose first offer is relevant (grade ≥ 1);
              exact@1 the same for grade 2
  separation  share of (covered need, uncovered need) pairs in which the covered need's best
              relevant offer outscores everything the uncovered need got
  bands       covered needs whose best relevant offer is strong (≥ 70); uncovered needs whose
              best score is weak (< 40)
  expired     matches to offers past their deadline or end (must be 0)

The needs are split once, by position: every third need (index % 3 == 2) is the held-out part,
which is not looked at while tuning the engine's constants. Targets on the held-out part:
nDCG@5 ≥ 0.90, hit@1 ≥ 0.85, separation ≥ 0.90, no expired offer ever matched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
from pathlib import Path

from setup_database import ensure_database  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench_relevance")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.pop("REDIS_URL", None)

PREFIX = "R"  # organisation numbers of the benchmark's businesses and providers


def load(today: dt.date):
    """The catalogue and the needs, fresh; returns (needs, offer topic by id, expired ids)."""
    from django.db import transaction
    from relevance_needs import NEEDS
    from relevance_offers import EXPIRED, OFFERS

    from needs.models import Need
    from offers.models import Offer
    from offers.search import offer_search_refresh
    from portal.models import CompetenceArea, Municipality, Organisation

    places = {m.code: m for m in Municipality.objects.all()}
    areas = {a.code: a for a in CompetenceArea.objects.all()}
    with transaction.atomic():
        Organisation.objects.filter(orgnr__startswith=PREFIX).delete()
        providers = {code: Organisation.objects.create(
            orgnr=f"{PREFIX}P{code}", name=f"Kursleverandør {places[code].name}",
            kind=Organisation.Kind.PROVIDER, municipality=places[code])
            for code in sorted({o[4] for o in OFFERS + EXPIRED})}
        topic_of: dict[int, str] = {}
        expired: set[int] = set()
        for i, (topic, area, title, description, place, fmt, price) in enumerate(
                OFFERS + EXPIRED):
            is_expired = i >= len(OFFERS)
            start = today + dt.timedelta(days=10 if is_expired else 40 + (i % 6) * 15)
            offer = Offer.objects.create(
                provider=providers[place], external_id=f"R{i}", title=title,
                description=description, level="course", hours=16, format=fmt,
                municipality=places[place], start_date=start,
                end_date=start + dt.timedelta(days=30),
                application_deadline=(today - dt.timedelta(days=3)) if is_expired
                else start - dt.timedelta(days=7),
                price_nok=price, min_participants=4, max_participants=15,
                status=Offer.Status.PUBLISHED)
            offer.areas.set([areas[area]])
            topic_of[offer.pk] = topic
            if is_expired:
                expired.add(offer.pk)
        offer_search_refresh(offer_ids=list(topic_of))
        needs = []
        for i, (lang, area, place, title, description, exact, related) in enumerate(NEEDS):
            business = Organisation.objects.create(
                orgnr=f"{PREFIX}B{i:04d}", name=f"Bedrift {i}", kind=Organisation.Kind.BUSINESS,
                municipality=places[place], employees=10)
            need = Need.objects.create(
                organisation=business, area=areas[area], title=title, description=description,
                participants=3, level="course" if i % 4 else "", formats=[
                    "local", "online", "blended", "workplace", "campus"],
                earliest_start=today + dt.timedelta(days=20),
                latest_start=today + dt.timedelta(days=200), max_travel_km=150,
                budget_per_participant=6000 if i % 5 else None, status=Need.Status.SUBMITTED,
                external_ref=f"R{i}")
            needs.append((i, need.pk, lang, set(exact), set(related)))
    return needs, topic_of, expired


def grade(offer_topic: str, exact: set[str], related: set[str]) -> int:
    return 2 if offer_topic in exact else 1 if offer_topic in related else 0


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(k + 2) for k, g in enumerate(grades))


def evaluate(part: str, needs, topic_of, expired, ranked, best) -> dict:
    from matching.engine import bands

    chosen = [n for n in needs if (n[0] % 3 == 2) == (part == "held-out")]
    live_topics = [t for pk, t in topic_of.items() if pk not in expired]
    covered, uncovered = [], []
    ndcgs, hits, exacts = [], [], []
    for _index, need_pk, _lang, exact, related in chosen:
        ranking = ranked.get(need_pk, [])
        if not exact:
            uncovered.append(max((s for _o, s in ranking), default=best.get(need_pk) or 0.0))
            continue
        grades = [grade(topic_of[o], exact, related) for o, _s in ranking]
        ideal = sorted((grade(t, exact, related) for t in live_topics), reverse=True)[:5]
        ndcgs.append(dcg(grades[:5]) / dcg(ideal))
        hits.append(bool(grades) and grades[0] >= 1)
        exacts.append(bool(grades) and grades[0] == 2)
        covered.append(max((s for (o, s), g in zip(ranking, grades, strict=True) if g >= 1),
                           default=0.0))
    pairs = [(c, u) for c in covered for u in uncovered]
    return {
        "part": part, "needs": len(chosen), "covered": len(covered),
        "uncovered": len(uncovered),
        "nynorsk": sum(1 for n in chosen if n[2] == "nn"),
        "ndcg5": sum(ndcgs) / max(len(ndcgs), 1), "hit1": sum(hits) / max(len(hits), 1),
        "exact1": sum(exacts) / max(len(exacts), 1),
        "separation": sum(c > u for c, u in pairs) / max(len(pairs), 1),
        "strong": sum(bands.band_for(c) == bands.STRONG_BAND for c in covered)
        / max(len(covered), 1),
        "weak": sum(bands.band_for(u) == bands.WEAK_BAND for u in uncovered)
        / max(len(uncovered), 1),
        "expired": sum(1 for r in ranked.values() for o, _s in r if o in expired),
    }


def show(needs, topic_of, ranked, best, parts) -> None:
    from relevance_needs import NEEDS

    from matching.engine import render_reasons
    from matching.models import Match

    for index, need_pk, _lang, exact, _related in needs:
        part = "held-out" if index % 3 == 2 else "tuning"
        if part not in parts:
            continue
        ranking = ranked.get(need_pk, [])[:3]
        top = [(topic_of[o], round(s)) for o, s in ranking]
        first = Match.objects.filter(need_id=need_pk, rank=1).first()
        words = render_reasons(first.reasons, "nb")[:2] if first else []
        print(f"    {NEEDS[index][3] or NEEDS[index][4][:30]!r:<40} want {sorted(exact)} "
              f"got {top} best {best.get(need_pk)} {words}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=["tuning", "held-out", "both"], default="both")
    parser.add_argument("--verbose", action="store_true",
                        help="print each need's first offer (of the chosen part)")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from matching import engine
    from matching.engine import data
    from matching.models import Match, MatchingSettings, NeedMatchState

    today = timezone.localdate()
    needs, topic_of, expired = load(today)
    settings = MatchingSettings.current()
    settings.min_score, settings.top_k = 0.0, 25  # see the whole ranking, weak ones included
    settings.save()
    data.clear_cache()
    engine.match_needs(need_ids=[n[1] for n in needs])
    ranked: dict[int, list[tuple[int, float]]] = {}
    for need_id, offer_id, score in Match.objects.filter(
            need_id__in=[n[1] for n in needs]).order_by("need_id", "rank").values_list(
            "need_id", "offer_id", "score"):
        ranked.setdefault(need_id, []).append((offer_id, score))
    best = dict(NeedMatchState.objects.values_list("need_id", "best_score"))
    parts = ["tuning", "held-out"] if args.part == "both" else [args.part]
    print(f"relevance benchmark: {len(needs)} needs, {len(topic_of) - len(expired)} live "
          f"offers + {len(expired)} expired")
    for part in parts:
        r = evaluate(part, needs, topic_of, expired, ranked, best)
        print(f"  {r['part']:>8}: {r['needs']} needs ({r['nynorsk']} nynorsk, {r['uncovered']} "
              f"uncovered) · nDCG@5 {r['ndcg5']:.3f} · hit@1 {r['hit1']:.3f} (exact@1 "
              f"{r['exact1']:.3f}) · separation {r['separation']:.3f} · covered best strong "
              f"{r['strong']:.0%} · uncovered weak {r['weak']:.0%} · expired matched "
              f"{r['expired']}")
    if args.verbose:
        show(needs, topic_of, ranked, best, parts)
    if args.part != "tuning":
        print("  targets on held-out: nDCG@5 ≥ 0.90, hit@1 ≥ 0.85, separation ≥ 0.90, "
              "expired matched 0")


if __name__ == "__main__":
    main()
