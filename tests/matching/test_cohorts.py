import datetime as dt
import random

import pytest

from matching.cohorts import cohorts_rebuild, jaccard, text_tokens
from matching.models import Cohort, CohortNeed, MatchingSettings
from needs.models import Need
from portal.models import Municipality
from tests.factories import BusinessFactory, NeedFactory, OfferFactory, area, municipality

pytestmark = pytest.mark.django_db

SPRING = (dt.date(2027, 3, 1), dt.date(2027, 5, 31))
AUTUMN = (dt.date(2027, 9, 1), dt.date(2027, 10, 31))


def _need(org=None, *, participants=4, muni="4022", window=SPRING, **kwargs) -> Need:
    if org is None:
        org = BusinessFactory(municipality=municipality(muni))
    kwargs.setdefault("level", "course")
    return NeedFactory(organisation=org, participants=participants, earliest_start=window[0],
                       latest_start=window[1], **kwargs)


def _bergen() -> Municipality:
    # About 200 km west of Seljord, outside the region.
    return Municipality.objects.create(code="4601", name="Bergen", county_code="46",
                                       latitude=60.3913, longitude=5.3221)


def _members(cohort: Cohort) -> set[int]:
    return set(cohort.memberships.values_list("need_id", flat=True))


def test_two_businesses_with_seven_participants_are_pooled_but_not_an_opportunity():
    a, b = _need(participants=4), _need(participants=3, muni="4028")
    result = cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert _members(cohort) == {a.pk, b.pk}
    assert (cohort.participants, cohort.business_count, cohort.threshold) == (7, 2, 8)
    assert not cohort.is_opportunity
    assert (result.cohorts, result.opportunities) == (1, 0)


def test_eight_participants_make_an_opportunity():
    _need(participants=4)
    _need(participants=4, muni="4028")
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert cohort.participants == 8
    assert cohort.is_opportunity


def test_threshold_comes_from_the_settings():
    settings_row = MatchingSettings.current()
    settings_row.cohort_threshold = 6
    settings_row.save()
    _need(participants=3)
    _need(participants=3, muni="4028")
    cohorts_rebuild()
    assert Cohort.objects.get().is_opportunity


def test_business_200_km_away_is_not_pooled():
    bergen = _bergen()
    a, b = _need(participants=4), _need(participants=4, muni="4028")
    far = _need(BusinessFactory(municipality=bergen), participants=6)
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert far.pk not in _members(cohort)
    assert _members(cohort) == {a.pk, b.pk}
    assert cohort.anchor_municipality.code in {"4022", "4028"}
    assert not cohort.online


def test_distance_beyond_each_needs_own_limit_is_not_pooled():
    _need(participants=5, max_travel_km=5)  # Seljord
    _need(participants=5, muni="4026", max_travel_km=5)  # Tinn, ~45 km away
    cohorts_rebuild()
    assert not Cohort.objects.exists()


def test_anchor_maximises_participants():
    # Kviteseid and Tokke businesses both reach Seljord only with its generous limit, so the
    # anchor is the municipality that gathers everyone.
    a = _need(participants=2, muni="4022", max_travel_km=80)
    b = _need(participants=3, muni="4028", max_travel_km=20)
    c = _need(participants=3, muni="4022", max_travel_km=20)
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert _members(cohort) == {a.pk, b.pk, c.pk}
    assert cohort.participants == 8


def test_all_online_needs_form_an_online_cohort():
    bergen = _bergen()
    a = _need(participants=4, formats=["online"], online_only=True)
    b = _need(BusinessFactory(municipality=bergen), participants=4, formats=["online"],
              online_only=True)
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert cohort.online and cohort.anchor_municipality is None
    assert _members(cohort) == {a.pk, b.pk}


def test_non_overlapping_windows_are_not_pooled():
    _need(participants=5, window=SPRING)
    _need(participants=5, muni="4028", window=AUTUMN)
    cohorts_rebuild()
    assert not Cohort.objects.exists()


def test_overlapping_windows_give_the_intersection():
    _need(participants=5, window=(dt.date(2027, 3, 1), dt.date(2027, 5, 1)))
    _need(participants=5, muni="4028", window=(dt.date(2027, 4, 1), dt.date(2027, 6, 1)))
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert (cohort.window_start, cohort.window_end) == (dt.date(2027, 4, 1), dt.date(2027, 5, 1))


@pytest.mark.parametrize(
    ("level_a", "level_b", "pooled"),
    [
        ("course", "course", True),
        ("course", "trade_certificate", True),
        ("course", "", True),
        ("", "higher_education", True),
        ("course", "vocational_college", False),
        ("course", "higher_education", False),
    ],
)
def test_levels_must_be_compatible(level_a, level_b, pooled):
    _need(participants=5, level=level_a)
    _need(participants=5, muni="4028", level=level_b)
    cohorts_rebuild()
    assert Cohort.objects.exists() is pooled


def test_different_sub_areas_are_not_pooled():
    _need(participants=5)
    _need(participants=5, muni="4028", area=area("bygg.tomrer"), title="Tømrerkurs",
          description="Forskaling og takstoler")
    cohorts_rebuild()
    assert not Cohort.objects.exists()


def test_top_level_need_with_similar_text_joins_the_sub_area():
    a = _need(participants=4)
    b = _need(participants=4, muni="4028", area=area("skog"),
              title="Motorsagkurs for skogsarbeidere", description="Motorsagsertifikat")
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert cohort.area.code == "skog.motorsag"
    assert _members(cohort) == {a.pk, b.pk}


def test_single_business_is_never_an_opportunity():
    org = BusinessFactory()
    _need(org, participants=6)
    _need(org, participants=6, title="Motorsag videregående")
    cohorts_rebuild()
    assert not Cohort.objects.filter(is_opportunity=True).exists()
    assert not Cohort.objects.filter(business_count__lt=2).exists()


def test_needs_not_shared_or_not_matchable_are_left_out():
    _need(participants=5)
    _need(participants=5, muni="4028", willing_to_share=False)
    _need(participants=5, muni="4028", status=Need.Status.DRAFT)
    _need(participants=5, muni="4028", status=Need.Status.WITHDRAWN)
    cohorts_rebuild()
    assert not Cohort.objects.exists()


def test_on_demand_offer_minimum_lowers_the_threshold():
    OfferFactory(on_demand=True, min_participants=5)
    OfferFactory(on_demand=False, min_participants=2)  # not on demand: ignored
    _need(participants=3)
    _need(participants=3, muni="4028")
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert cohort.threshold == 5
    assert cohort.is_opportunity


def test_on_demand_offer_in_another_area_or_level_does_not_count():
    OfferFactory(on_demand=True, min_participants=2, areas=["bygg.tomrer"])
    OfferFactory(on_demand=True, min_participants=2, level="higher_education")
    _need(participants=3)
    _need(participants=3, muni="4028")
    cohorts_rebuild()
    assert Cohort.objects.get().threshold == 8


def _dataset(orgs: list, order: list[int]) -> None:
    specs = [
        (0, 4, "course", SPRING, "skog.motorsag"),
        (1, 3, "course", SPRING, "skog.motorsag"),
        (2, 5, "", SPRING, "skog.motorsag"),
        (3, 2, "trade_certificate", AUTUMN, "skog.motorsag"),
        (4, 6, "trade_certificate", AUTUMN, "skog.motorsag"),
        (5, 4, "course", SPRING, "bygg.tomrer"),
        (6, 4, "course", SPRING, "bygg.tomrer"),
        (7, 9, "higher_education", SPRING, "bygg.tomrer"),
    ]
    for i in order:
        org_index, participants, level, window, code = specs[i]
        NeedFactory(organisation=orgs[org_index], participants=participants, level=level,
                    earliest_start=window[0], latest_start=window[1], area=area(code),
                    title=f"need-{i}")


def _snapshot() -> dict[str, tuple]:
    return {
        c.key: (c.participants, c.business_count, c.is_opportunity,
                frozenset(c.memberships.values_list("need__title", flat=True)))
        for c in Cohort.objects.filter(is_current=True)
    }


def test_rebuild_is_deterministic_and_independent_of_insertion_order():
    munis = ["4022", "4028", "4022", "4034", "4036", "4022", "4024", "4026"]
    orgs = [BusinessFactory(municipality=municipality(code)) for code in munis]
    _dataset(orgs, list(range(8)))
    first = cohorts_rebuild()
    snap1 = _snapshot()
    second = cohorts_rebuild()
    assert first.keys == second.keys
    assert _snapshot() == snap1
    assert len(snap1) >= 2

    Need.objects.all().delete()
    Cohort.objects.all().delete()
    order = list(range(8))
    random.Random(7).shuffle(order)
    _dataset(orgs, order)
    third = cohorts_rebuild()
    assert third.keys == first.keys
    assert _snapshot() == snap1


def test_adviser_status_survives_rebuild_and_vanished_cohorts_are_retired():
    a, _b = _need(participants=4), _need(participants=4, muni="4028")
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    cohort.status = Cohort.Status.REVIEWED
    cohort.adviser_note = "Ring Seljord"
    cohort.save()
    _need(participants=2, muni="4022")  # a third business joins the same cohort
    result = cohorts_rebuild()
    assert result.updated == 1 and result.created == 0
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.REVIEWED
    assert cohort.adviser_note == "Ring Seljord"
    assert cohort.participants == 10
    assert cohort.memberships.count() == 3

    Need.objects.exclude(pk=a.pk).update(status=Need.Status.WITHDRAWN)
    result = cohorts_rebuild()
    assert result.retired == 1
    cohort.refresh_from_db()
    assert cohort.is_current is False
    assert cohort.status == Cohort.Status.REVIEWED
    assert CohortNeed.objects.filter(cohort=cohort).count() == 3  # kept for the record


def test_many_needs_are_split_into_several_cohorts_each_with_two_businesses():
    rng = random.Random(2026)
    codes = ["4022", "4024", "4026", "4028", "4030", "4032", "4034", "4036"]
    orgs = [BusinessFactory(municipality=municipality(rng.choice(codes))) for _ in range(30)]
    for _i in range(80):
        start = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
        NeedFactory(organisation=rng.choice(orgs), participants=rng.randint(1, 6),
                    level=rng.choice(["course", "trade_certificate", "", "higher_education"]),
                    earliest_start=start, latest_start=start + dt.timedelta(days=60),
                    max_travel_km=rng.choice([20, 50, 100, None]),
                    area=area(rng.choice(["skog.motorsag", "bygg.tomrer", "energi.fse"])))
    result = cohorts_rebuild()
    assert result.cohorts > 1
    pooled = list(CohortNeed.objects.values_list("need_id", flat=True))
    assert len(pooled) == len(set(pooled)) == result.needs_pooled  # each need in one cohort
    for cohort in Cohort.objects.all():
        assert cohort.business_count >= 2
        needs = list(cohort.needs.all())
        starts = [n.earliest_start for n in needs]
        ends = [n.latest_start for n in needs]
        assert max(starts) <= min(ends) + dt.timedelta(days=16)


def test_text_tokens_and_jaccard():
    a = text_tokens("Motorsagkurs for skogsarbeidere")
    b = text_tokens("motorsagkurs, skogsarbeiderne")
    assert jaccard(a, b) == 1.0
    assert jaccard(a, text_tokens("Tømrer")) == 0.0


def test_rebuild_without_needs_retires_everything_and_is_harmless():
    _need(participants=4)
    _need(participants=4, muni="4028")
    cohorts_rebuild()
    Need.objects.update(status=Need.Status.WITHDRAWN)
    result = cohorts_rebuild()
    assert (result.cohorts, result.retired) == (0, 1)
    assert not Cohort.objects.filter(is_current=True).exists()
    assert cohorts_rebuild().retired == 0


def test_business_without_municipality_can_still_join_an_online_cohort():
    nowhere = BusinessFactory(municipality=None)
    a = _need(nowhere, participants=4, formats=["online"])
    b = _need(participants=4, formats=["online", "local"])
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    assert cohort.online
    assert _members(cohort) == {a.pk, b.pk}


def test_rebuild_without_changes_writes_nothing():
    munis = ["4022", "4028", "4022", "4034", "4036", "4022", "4024", "4026"]
    orgs = [BusinessFactory(municipality=municipality(code)) for code in munis]
    _dataset(orgs, list(range(8)))
    first = cohorts_rebuild()
    built = dict(Cohort.objects.values_list("key", "built_at"))
    memberships = set(CohortNeed.objects.values_list("pk", flat=True))
    second = cohorts_rebuild()
    assert (second.created, second.updated, second.retired) == (0, 0, 0)
    assert second.unchanged == first.cohorts
    assert dict(Cohort.objects.values_list("key", "built_at")) == built
    assert set(CohortNeed.objects.values_list("pk", flat=True)) == memberships


def test_a_changed_need_rewrites_only_its_own_cohort():
    munis = ["4022", "4028", "4022", "4034", "4036", "4022", "4024", "4026"]
    orgs = [BusinessFactory(municipality=municipality(code)) for code in munis]
    _dataset(orgs, list(range(8)))
    cohorts_rebuild()
    tomrer = Cohort.objects.get(is_current=True, area__code="bygg.tomrer")
    others = {c.pk: set(c.memberships.values_list("pk", flat=True))
              for c in Cohort.objects.filter(is_current=True).exclude(pk=tomrer.pk)}
    Need.objects.filter(title="need-5").update(participants=7)
    result = cohorts_rebuild()
    assert (result.created, result.updated) == (0, 1)
    tomrer.refresh_from_db()
    assert tomrer.participants == 11
    for pk, membership_ids in others.items():
        assert set(CohortNeed.objects.filter(cohort_id=pk).values_list("pk", flat=True)) \
            == membership_ids


def test_retired_cohort_that_comes_back_gets_its_members_again():
    a, b = _need(participants=4), _need(participants=4, muni="4028")
    cohorts_rebuild()
    cohort = Cohort.objects.get()
    Need.objects.filter(pk=b.pk).update(status=Need.Status.WITHDRAWN)
    cohorts_rebuild()
    Need.objects.filter(pk=b.pk).update(status=Need.Status.SUBMITTED)
    result = cohorts_rebuild()
    cohort.refresh_from_db()
    assert cohort.is_current and result.created == 0
    assert _members(cohort) == {a.pk, b.pk}


@pytest.mark.parametrize(("offer_area", "offer_level", "expected"), [
    ("skog.motorsag", "course", 4),        # the cohort's own sub-area
    ("skog", "trade_certificate", 4),      # its top area, one level step away
    ("skog", "vocational_college", 8),     # two level steps away from "course"
    ("skog.skogsmaskin", "course", 8),     # a sibling sub-area
])
def test_on_demand_minimum_by_area_and_level(offer_area, offer_level, expected):
    OfferFactory(on_demand=True, min_participants=4, areas=[offer_area], level=offer_level)
    _need(participants=2, area=area("skog.motorsag"))
    _need(participants=2, muni="4028", area=area("skog.motorsag"))
    cohorts_rebuild()
    assert Cohort.objects.get().threshold == expected
