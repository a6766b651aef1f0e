"""The load benchmark's data set: a county's worth of businesses, needs, offers and matches.

10 000 needs from 2 000 businesses over 3 survey rounds, 5 000 offers from 60 providers, the
matches the real engine keeps for them (about 100 000: the top 12 of each matchable need), cohorts
rebuilt by the real cohort code, some decided matches with history, cohort requests sent to
providers, and logged-in sessions for business, provider and adviser users. Rows are written
with PostgreSQL COPY (seconds, not minutes); a database that already holds the set is reused.
Imported by `bench/load_pages.py` after `django.setup()`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time

NEEDS = 10_000
BUSINESSES = 2_000
ROUNDS = 3
OFFERS = 5_000
PROVIDERS = 60
TARGET_MATCHES = 100_000
SEED = 2026
# Users with a logged-in session, per role.
BUSINESS_USERS = 40
PROVIDER_USERS = 20
ADVISER_USERS = 5
MARK = "LB"  # organisation numbers of the generated businesses start with this
BENCH_TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"  # the bench advisers' second factor


def copy_rows(model, rows: list[dict]) -> None:
    """COPY dicts into the model's table; omitted fields get their default, timestamps now."""
    from django.db import connection

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in rows[0]]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    now = dt.datetime.now(dt.UTC)
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as wrapper, wrapper.cursor.copy(
            f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row.get(f.attname, defaults[f.attname])
                if value is None and f.get_internal_type() == "DateTimeField" and not f.null:
                    value = now
                if isinstance(value, dict | list):
                    value = json.dumps(value)
                values.append(value)
            copy.write_row(values)


def present() -> bool:
    from matching.models import Match
    from needs.models import Need
    from offers.models import Offer

    return (Need.objects.filter(organisation__orgnr__startswith=MARK).count() >= NEEDS
            and Offer.objects.filter(external_id__startswith="LOAD-").count() >= OFFERS
            and Match.objects.count() >= TARGET_MATCHES * 0.8)


def generate(*, force: bool = False) -> None:
    """Build the data set unless it is already there (`force` rebuilds it)."""
    if not force and present():
        print("reusing the load data set already in the database", flush=True)
        return
    started = time.perf_counter()
    _clear()
    rng = random.Random(SEED)
    ids = _organisations_and_users(rng)
    rounds = _rounds()
    _offers(rng, ids["providers"])
    _needs(rng, ids["businesses"], rounds)
    print(f"organisations, offers and needs written in {time.perf_counter() - started:.1f} s",
          flush=True)
    _match_and_pool()
    _decisions(rng, ids)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"load data set ready in {time.perf_counter() - started:.1f} s", flush=True)


def _clear() -> None:
    from django.db import connection, transaction

    from matching.models import (
        Cohort,
        CohortNeed,
        CohortRequest,
        Match,
        MatchEvent,
        NeedMatchState,
        OfferMatchState,
    )
    from needs.models import Need, SurveyResponse, SurveyRound
    from offers.models import Offer

    models = (MatchEvent, CohortRequest, CohortNeed, Cohort, Match, NeedMatchState,
              OfferMatchState, Need, SurveyResponse, SurveyRound, Offer.areas.through, Offer)
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'TRUNCATE "{model._meta.db_table}" CASCADE')
        cursor.execute("DELETE FROM portal_membership WHERE user_id IN "
                       "(SELECT id FROM portal_user WHERE email LIKE '%%@load.bench')")
        cursor.execute("DELETE FROM portal_user WHERE email LIKE '%%@load.bench'")
        cursor.execute("DELETE FROM portal_organisation WHERE orgnr LIKE 'L%%'")


def _organisations_and_users(rng: random.Random) -> dict[str, list[int]]:
    from portal.models import Membership, Municipality, Organisation, User

    region = list(Municipality.objects.filter(in_region=True).values_list("pk", flat=True))
    towns = list(Municipality.objects.filter(in_region=False).values_list("pk", flat=True))
    industries = ["55.101", "35.11", "41.20", "01.11", "02.20", "86.90", "47.11", "49.41"]
    rows = [{"orgnr": f"{MARK}{i:07d}", "name": f"Lastprøve bedrift {i} AS", "kind": "business",
             "municipality_id": rng.choice(region), "employees": rng.randint(1, 40),
             "industry_code": rng.choice(industries), "contact_name": f"Dagleg leiar {i}",
             "contact_email": f"post{i}@bedrift.load.bench"} for i in range(BUSINESSES)]
    rows += [{"orgnr": f"LP{i:07d}", "name": f"Lastprøve kursleverandør {i}", "kind": "provider",
              "municipality_id": rng.choice(towns or region),
              "contact_email": f"kurs{i}@load.bench"} for i in range(PROVIDERS)]
    rows.append({"orgnr": "LC0000001", "name": "Lastprøve fylkeskommune", "kind": "county",
                 "municipality_id": rng.choice(towns or region)})
    copy_rows(Organisation, rows)
    orgs = dict(Organisation.objects.filter(orgnr__startswith="L").values_list("orgnr", "pk"))
    businesses = [orgs[f"{MARK}{i:07d}"] for i in range(BUSINESSES)]
    providers = [orgs[f"LP{i:07d}"] for i in range(PROVIDERS)]
    county = orgs["LC0000001"]
    people = ([("business", i, businesses[i]) for i in range(BUSINESS_USERS)]
              + [("provider", i, providers[i]) for i in range(PROVIDER_USERS)]
              + [("adviser", i, county) for i in range(ADVISER_USERS)])
    # An unusable password: the benchmark logs in through sessions it creates itself, so no
    # password hashing (deliberately slow) distorts the figures.
    copy_rows(User, [{"email": f"{role}{i}@load.bench", "password": "!", "is_active": True,
                      "full_name": f"{role.title()} {i}", "date_joined": None}
                     for role, i, _org in people])
    users = dict(User.objects.filter(email__endswith="@load.bench").values_list("email", "pk"))
    copy_rows(Membership, [{"user_id": users[f"{role}{i}@load.bench"], "organisation_id": org,
                            "role": "admin"} for role, i, org in people])
    return {"businesses": businesses, "providers": providers, "county": [county]}


def _rounds() -> list[int]:
    from needs.models import SurveyRound

    today = dt.date.today()
    created = []
    for back in range(ROUNDS - 1, -1, -1):
        year = today.year - back
        opens = dt.date(year, 1, 15) if back else today - dt.timedelta(days=30)
        closes = dt.date(year, 4, 30) if back else today + dt.timedelta(days=60)
        created.append(SurveyRound.objects.create(
            name=f"Kompetansebarometer {year}", year=year, opens_on=opens, closes_on=closes,
            intro="Fortel oss kva de treng av kompetanse det neste året.").pk)
    return created


LEVELS = ["course", "course", "course", "trade_certificate", "vocational_college",
          "higher_education"]
FORMATS = ["local", "local", "campus", "online", "blended", "workplace"]
VARIANTS = ["grunnkurs", "repetisjonskurs", "kveldskurs", "for ledere", "sertifisering",
            "nettkurs", "intensivkurs", "modul 1", "fordypning", "i praksis"]


def _areas():
    from portal.models import CompetenceArea

    return list(CompetenceArea.objects.filter(is_active=True).values_list(
        "pk", "code", "label_nb", "synonyms", "parent_id"))


def _offers(rng: random.Random, providers: list[int]) -> None:
    from offers.models import Offer
    from offers.search import offer_search_refresh
    from portal.models import Municipality

    areas = _areas()
    munis = list(Municipality.objects.values_list("pk", "name"))
    today = dt.date.today()
    rows, links = [], []
    for i in range(OFFERS):
        area = rng.choice(areas)
        level, fmt = rng.choice(LEVELS), rng.choice(FORMATS)
        muni = None if fmt == "online" else rng.choice(munis)
        start = today + dt.timedelta(days=rng.randint(-30, 420))
        status = "published" if i % 10 < 9 else ("draft" if i % 20 == 9 else "archived")
        synonyms = [s for s in area[3].split(";") if s][:3]
        rows.append({
            "provider_id": providers[i % len(providers)], "external_id": f"LOAD-{i}",
            "title": f"{area[2]} – {rng.choice(VARIANTS)}",
            "description": (f"{area[2]} ({', '.join(synonyms) or area[1]}) for bedrifter i "
                            f"{muni[1] if muni else 'heile fylket'}. Praktisk opplæring med "
                            "erfarne instruktørar, oppgåver frå eigen arbeidsplass og tett "
                            "oppfølging."),
            "level": level, "format": fmt, "municipality_id": muni[0] if muni else None,
            "hours": rng.choice([8, 16, 24, 40]) if level == "course" else None,
            "credits": rng.choice([7.5, 10, 15, 30])
            if level in ("vocational_college", "higher_education") else None,
            "start_date": start, "end_date": start + dt.timedelta(days=rng.randint(0, 90)),
            "application_deadline": start - dt.timedelta(days=14),
            "price_nok": rng.choice([0, 1500, 2900, 4500, 8000, 12500, 25000]),
            "min_participants": rng.choice([4, 6, 8]), "max_participants": rng.choice([12, 20]),
            "language": "nb", "url": f"https://kurs.example.no/{i}",
            "on_demand": rng.random() < 0.25, "status": status,
            "published_at": dt.datetime.now(dt.UTC) if status == "published" else None,
        })
        links.append(area[0])
    copy_rows(Offer, rows)
    ids = dict(Offer.objects.filter(external_id__startswith="LOAD-")
               .values_list("external_id", "pk"))
    through = Offer.areas.through
    copy_rows(through, [{"offer_id": ids[f"LOAD-{i}"], "competencearea_id": a}
                        for i, a in enumerate(links)])
    offer_search_refresh(offer_ids=list(ids.values()))


def _needs(rng: random.Random, businesses: list[int], rounds: list[int]) -> None:
    from needs.models import Need, SurveyResponse

    now = dt.datetime.now(dt.UTC)
    responses = []
    for r_index, round_id in enumerate(rounds):
        current = r_index == len(rounds) - 1
        for b_index, org in enumerate(businesses):
            # In the open round the first businesses (the ones with logged-in users) are
            # still answering: their drafts are what the survey pages show.
            draft = current and (b_index < BUSINESS_USERS * 2 or rng.random() < 0.3)
            responses.append({
                "organisation_id": org, "round_id": round_id,
                "status": "draft" if draft else "submitted", "step": 3 if draft else 5,
                "overall_need": rng.choice(["some", "large", "some", "none"]),
                "measures": rng.sample(["train_staff", "recruit_norway", "hire_in"], 2),
                "barriers": rng.sample(["time", "cost", "distance", "no_offer"], 2),
                "consent": rng.choice(["statistics", "anonymous", "named", "named"]),
                "submitted_at": None if draft else now, "language": "nb",
            })
    copy_rows(SurveyResponse, responses)
    response_ids = {(org, rnd): pk for pk, org, rnd in SurveyResponse.objects.filter(
        organisation_id__in=businesses).values_list("pk", "organisation_id", "round_id")}
    drafts = set(SurveyResponse.objects.filter(status="draft").values_list("pk", flat=True))
    areas = [a for a in _areas() if a[4] is not None] or _areas()
    per_round = NEEDS // len(rounds)
    today = dt.date.today()
    rows = []
    for r_index, round_id in enumerate(rounds):
        count = per_round if r_index < len(rounds) - 1 else NEEDS - per_round * (len(rounds) - 1)
        for n in range(count):
            org = businesses[n % len(businesses)]
            response = response_ids[(org, round_id)]
            area = rng.choice(areas)
            earliest = today + dt.timedelta(days=rng.randint(-20, 200))
            status = ("draft" if response in drafts else
                      rng.choice(["submitted", "submitted", "in_brokering"]))
            rows.append({
                "organisation_id": org, "round_id": round_id, "response_id": response,
                "area_id": area[0], "title": f"{area[2]} for {rng.randint(1, 12)} tilsette",
                "description": f"Vi treng {area[2].lower()} "
                               f"({', '.join(s for s in area[3].split(';')[:2] if s)}).",
                "participants": rng.randint(1, 12), "to_train": rng.randint(1, 6),
                "level": rng.choice(["", "course", "course", "trade_certificate"]),
                "formats": rng.sample(["local", "campus", "online", "blended", "workplace"],
                                      rng.randint(1, 3)),
                "earliest_start": earliest,
                "latest_start": earliest + dt.timedelta(days=rng.randint(60, 300)),
                "max_travel_km": rng.choice([20, 50, 100, 150, None]),
                "budget_per_participant": rng.choice([3000, 8000, 15000, 30000]),
                "priority": rng.choice(["high", "medium", "low"]),
                "consequence": rng.choice(["lost_orders", "growth_postponed", "regulatory"]),
                "willing_to_share": rng.random() < 0.85, "status": status,
                "submitted_at": None if status == "draft" else dt.datetime.now(dt.UTC),
                "external_ref": f"LOAD-{r_index}-{n}",
            })
    copy_rows(Need, rows)
    _link_previous(rounds)


def _link_previous(rounds: list[int]) -> None:
    """A need in the open round follows up the business's need of the round before (the
    survey asks whether that one was met), as the survey's round loop records it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE needs_need AS cur SET previous_id = prev.id
            FROM needs_need AS prev
            WHERE cur.round_id = %s AND prev.round_id = %s
              AND prev.organisation_id = cur.organisation_id
              AND prev.external_ref = replace(cur.external_ref, %s, %s)
        """, [rounds[-1], rounds[-2], f"LOAD-{len(rounds) - 1}-", f"LOAD-{len(rounds) - 2}-"])


def _match_and_pool() -> None:
    from django.core.management import call_command

    from matching.models import Match, MatchingSettings

    settings_row = MatchingSettings.current()
    # A looser floor and a longer list than the defaults: 12 matches for each of the ~8 900
    # matchable needs give the ~100 000 matches of a county's worth of needs.
    settings_row.min_score = 20.0
    settings_row.top_k = 12
    settings_row.save()
    started = time.perf_counter()
    call_command("rematch", verbosity=0)
    print(f"engine: {Match.objects.count()} matches and cohorts in "
          f"{time.perf_counter() - started:.1f} s", flush=True)


def _decisions(rng: random.Random, ids: dict[str, list[int]]) -> None:
    """An adviser's year of work: some matches approved, proposed, accepted, with history;
    the biggest cohorts sent to providers."""
    from matching.models import Cohort, CohortRequest, Match, MatchEvent
    from portal.models import User

    adviser = User.objects.get(email="adviser0@load.bench")
    chain = {"approved": ["approved"], "proposed": ["approved", "proposed"],
             "accepted": ["approved", "proposed", "accepted"]}
    picks = list(Match.objects.filter(need__organisation_id__in=ids["businesses"][:400])
                 .order_by("need_id", "rank").values_list("pk", flat=True)[::4])
    events = []
    by_status: dict[str, list[int]] = {"approved": [], "proposed": [], "accepted": []}
    for pk in picks:
        status = rng.choice(list(by_status))
        by_status[status].append(pk)
        previous = "suggested"
        for step in chain[status]:
            events.append({"match_id": pk, "from_status": previous, "to_status": step,
                           "actor_id": adviser.pk, "note": "Passar godt."})
            previous = step
    for status, pks in by_status.items():
        Match.objects.filter(pk__in=pks).update(status=status)
    copy_rows(MatchEvent, events)
    cohorts = list(Cohort.objects.filter(is_current=True).order_by("-participants")[:200])
    providers = ids["providers"]
    requests = [{"cohort_id": cohort.pk, "provider_id": providers[(k + offset) % len(providers)],
                 "status": "sent", "message": "Vil de setje opp eit kurs?",
                 "sent_by_id": adviser.pk}
                for k, cohort in enumerate(cohorts) for offset in (0, 7)]
    copy_rows(CohortRequest, requests)
    Cohort.objects.filter(pk__in=[c.pk for c in cohorts]).update(status="sent")


def sessions(session_engine: str) -> dict:
    """A fresh logged-in session per bench user, and the ids each role's pages need."""
    from importlib import import_module

    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from matching.models import Cohort, CohortRequest, Match
    from needs.models import Need, SurveyResponse
    from offers.models import Offer
    from portal import access
    from portal.models import Membership

    store = import_module(session_engine).SessionStore
    by_role: dict = {"business": [], "provider": [], "adviser": []}
    members = Membership.objects.filter(user__email__endswith="@load.bench").select_related(
        "user", "organisation")
    for membership in members:
        user = membership.user
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        role = user.email.split("@")[0].rstrip("0123456789")
        if role == "adviser" and not access.has_second_factor(user):
            # Advisers need a second factor, or every adviser page is the set-up page.
            TOTP.activate(user, BENCH_TOTP_SECRET)
        entry = {"session": session.session_key, "organisation": membership.organisation_id}
        if role == "business":
            org = membership.organisation_id
            draft = SurveyResponse.objects.filter(organisation_id=org, status="draft").first()
            entry["response"] = draft.pk if draft else None
            entry["needs"] = list(Need.objects.filter(organisation_id=org)
                                  .values_list("pk", flat=True)[:10])
        elif role == "provider":
            entry["requests"] = list(CohortRequest.objects.filter(
                provider_id=membership.organisation_id).values_list("pk", flat=True)[:5])
        by_role[role].append(entry)
    result: dict = {"sessions": by_role}
    result["matches"] = list(Match.objects.filter(is_current=True).order_by("?")
                             .values_list("pk", flat=True)[:300])
    result["cohorts"] = list(Cohort.objects.filter(is_current=True).order_by("?")
                             .values_list("pk", flat=True)[:100])
    result["offers"] = list(Offer.objects.filter(status="published").order_by("?")
                            .values_list("pk", flat=True)[:1000])
    return result
