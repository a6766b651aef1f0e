"""The URL of one visit to each page of the load benchmark (shared by the locustfile and the
warm-up in `bench/load_pages.py`)."""

from __future__ import annotations

import random


def path_for(page: str, identity: dict, t: dict, rng: random.Random) -> str:
    """The URL of one visit to `page` by a user with this identity."""
    if page == "home":
        return "/"
    if page == "catalogue":
        return "/offers/"
    if page == "catalogue search":
        return "/offers/?" + rng.choice(t["searches"])
    if page == "offer page":
        return f"/offers/{rng.choice(t['offers'])}/"
    if page == "API offers":
        return "/api/v1/offers/?" + rng.choice(t["api_offer_queries"])
    if page == "barometer":
        return t["barometer_url"]
    if page == "business needs":
        return "/needs/"
    if page == "survey step":
        return f"/needs/survey/{identity['response']}/step/{rng.randint(1, 5)}/"
    if page == "need detail":
        return f"/needs/{rng.choice(identity['needs'])}/"
    if page == "proposals":
        return "/matching/proposals/"
    if page == "provider offers":
        return "/offers/mine/?status=" + rng.choice(["published", "published", "draft"])
    if page == "cohort requests":
        return "/matching/cohort-requests/"
    if page == "adviser queue":
        return "/matching/" + rng.choice(["", "", "?min_score=60", "?status=approved",
                                          "?area=skog"])
    if page == "match detail":
        return f"/matching/matches/{rng.choice(t['matches'])}/"
    if page == "cohorts":
        return "/matching/cohorts/" + rng.choice(["", "?opportunities=on"])
    if page == "cohort detail":
        return f"/matching/cohorts/{rng.choice(t['cohorts'])}/"
    if page == "adviser needs":
        return "/needs/all/" + rng.choice(["", "?status=submitted", "?priority=high"])
    if page == "dashboard":
        return "/dashboard/"
    if page == "API needs":
        return "/api/v1/needs/" + rng.choice(["", "?priority=high"])
    if page == "API matches":
        return "/api/v1/matches/" + rng.choice(["", "?min_score=60"])
    if page == "API cohorts":
        return "/api/v1/cohorts/"
    raise ValueError(page)
