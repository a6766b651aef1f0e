import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from matching.models import (
    Cohort,
    CohortRequest,
    Match,
    MatchEvent,
    MatchingSettings,
    WeightChange,
)
from portal.models import Municipality
from tests.factories import (
    BusinessFactory,
    CohortFactory,
    MatchFactory,
    NeedFactory,
    OfferFactory,
    ProviderFactory,
    area,
)

pytestmark = pytest.mark.django_db
S = Match.Status


def test_work_queue_lists_matches_with_counts_per_status(adviser_client):
    MatchFactory(score=91)
    MatchFactory(score=60, status=S.APPROVED)
    MatchFactory(score=70, status=S.PROPOSED)
    response = adviser_client.get(reverse("matching:adviser_home"))
    assert response.status_code == 200
    assert [m.score for m in response.context["page_obj"]] == [91, 70, 60]
    counts = {value: n for value, _label, n in response.context["status_counts"]}
    assert counts[S.SUGGESTED] == counts[S.APPROVED] == counts[S.PROPOSED] == 1
    assert 'data-status="approved"' in response.content.decode()


def test_work_queue_filters(adviser_client):
    tinn = BusinessFactory(municipality=Municipality.objects.get(code="4026"))
    keep = MatchFactory(need=NeedFactory(organisation=tinn), score=80, status=S.APPROVED)
    MatchFactory(score=80, status=S.APPROVED)  # Seljord
    MatchFactory(need=NeedFactory(organisation=tinn), score=30, status=S.APPROVED)
    MatchFactory(need=NeedFactory(organisation=tinn, area=area("bygg.tomrer")), score=90,
                 status=S.APPROVED)
    MatchFactory(need=NeedFactory(organisation=tinn), score=85)
    response = adviser_client.get(reverse("matching:adviser_home"), {
        "status": "approved", "municipality": "4026", "min_score": "50", "area": "skog"})
    assert [m.pk for m in response.context["page_obj"]] == [keep.pk]


def test_work_queue_bad_filter_is_shown_not_a_500(adviser_client):
    response = adviser_client.get(reverse("matching:adviser_home"), {"min_score": "abc"})
    assert response.status_code == 200
    assert "min_score" in response.context["form"].errors


def test_work_queue_is_paginated_with_constant_queries(
    adviser_client, django_assert_max_num_queries
):
    offer = OfferFactory()
    for _ in range(30):
        MatchFactory(offer=offer)
    adviser_client.get(reverse("matching:adviser_home"))  # the adviser's standing, once
    with django_assert_max_num_queries(4):
        response = adviser_client.get(reverse("matching:adviser_home"), {"page": 2})
    assert len(response.context["page_obj"]) == 5


def test_match_detail_shows_components_weights_and_history(adviser_client, adviser_user):
    match = MatchFactory()
    MatchEvent.objects.create(match=match, from_status="", to_status=S.SUGGESTED)
    response = adviser_client.get(reverse("matching:match_detail", args=[match.pk]))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["components"]}
    assert rows["topic"]["value"] == 100
    assert rows["topic"]["weight"] == MatchingSettings.current().weight_topic
    html = response.content.decode()
    assert 'id="score-meter"' in html and 'data-component="geography"' in html
    assert 'data-action="approve"' in html and 'data-action="propose"' not in html
    assert reverse("offers:detail", args=[match.offer.pk]) in html


def test_match_detail_reads_the_need_and_offer_with_the_match(adviser_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    match = MatchFactory(status=S.DECLINED, response_reason="cost: Ringte",
                         need=NeedFactory(description="Vi treng motorsagkurs", title=""))
    with CaptureQueriesContext(connection) as ctx:
        response = adviser_client.get(reverse("matching:match_detail", args=[match.pk]))
    html = response.content.decode()
    assert "Vi treng motorsagkurs" in html and match.offer.provider.name in html
    assert match.need.organisation.contact_email in html
    need = match.need
    assert f"<dd>{need.area.label_nb} ({need.participants})</dd>" in html  # as str(need)
    assert f"({need.organisation.municipality.name})</dd>" in html
    # The page reads only some columns: none of them is fetched again on its own.
    assert not [q["sql"] for q in ctx.captured_queries if any(
        f'FROM "{table}" WHERE "{table}"."id" =' in q["sql"] for table in (
            "needs_need", "offers_offer", "portal_organisation", "portal_competencearea",
            "portal_municipality", "matching_match"))]


def test_adviser_moves_a_match_through_the_buttons(
    adviser_client, adviser_user, django_capture_on_commit_callbacks
):
    match = MatchFactory()
    url = reverse("matching:match_transition", args=[match.pk])
    response = adviser_client.post(url, {"action": "approve", "note": "Passar godt"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        adviser_client.post(url, {"action": "propose"})
    match.refresh_from_db()
    assert match.status == S.PROPOSED
    events = list(match.events.values_list("to_status", "actor_id", "note"))
    assert events == [(S.APPROVED, adviser_user.pk, "Passar godt"),
                      (S.PROPOSED, adviser_user.pk, "")]
    assert len(mail.outbox) == 1  # the business was told


def test_illegal_button_changes_nothing(adviser_client):
    match = MatchFactory()
    response = adviser_client.post(reverse("matching:match_transition", args=[match.pk]),
                                   {"action": "enroll"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == S.SUGGESTED
    assert not match.events.exists()


def test_unknown_action_is_a_400(adviser_client):
    match = MatchFactory()
    response = adviser_client.post(reverse("matching:match_transition", args=[match.pk]),
                                   {"action": "explode"})
    assert response.status_code == 400


def test_adviser_note_is_saved(adviser_client):
    match = MatchFactory()
    adviser_client.post(reverse("matching:match_note", args=[match.pk]),
                        {"adviser_note": "Ring Kari"})
    match.refresh_from_db()
    assert match.adviser_note == "Ring Kari"
    page = adviser_client.get(reverse("matching:match_detail", args=[match.pk]))
    assert ">\nRing Kari</textarea>" in page.content.decode()
    adviser_client.post(reverse("matching:match_note", args=[match.pk]),
                        {"adviser_note": "Ring Kari & Ola"})
    page = adviser_client.get(reverse("matching:match_detail", args=[match.pk]))
    assert ">\nRing Kari &amp; Ola</textarea>" in page.content.decode()


def test_cohort_list_puts_opportunities_first_and_filters(adviser_client):
    small = CohortFactory(participants=20, is_opportunity=False)
    big = CohortFactory(participants=9, is_opportunity=True)
    retired = CohortFactory(is_current=False)
    response = adviser_client.get(reverse("matching:cohort_list"))
    assert [c["pk"] for c in response.context["page_obj"]] == [big.pk, small.pk]
    response = adviser_client.get(reverse("matching:cohort_list"), {"opportunities": "on"})
    assert [c["pk"] for c in response.context["page_obj"]] == [big.pk]
    response = adviser_client.get(reverse("matching:cohort_list"), {"retired": "on"})
    assert retired.pk in [c["pk"] for c in response.context["page_obj"]]


def test_cohort_detail_shows_business_names_and_fitting_offers(adviser_client):
    cohort = CohortFactory()
    need = NeedFactory()
    cohort.memberships.create(need=need)
    offer = OfferFactory(on_demand=True)
    response = adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk]))
    html = response.content.decode()
    assert need.organisation.name in html
    assert offer.pk in {row["pk"] for row in response.context["offers"]}
    assert offer.provider_id in response.context["fitting_providers"]


def test_adviser_changes_cohort_status(adviser_client):
    cohort = CohortFactory()
    response = adviser_client.post(reverse("matching:cohort_detail", args=[cohort.pk]),
                                   {"status": "reviewed", "adviser_note": "Bra"})
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.status, cohort.adviser_note) == ("reviewed", "Bra")
    response = adviser_client.post(reverse("matching:cohort_detail", args=[cohort.pk]),
                                   {"status": "bogus"})
    assert response.status_code == 400
    assert "status" in response.context["status_form"].errors


def test_send_cohort_to_providers_creates_requests_and_emails(
    adviser_client, django_capture_on_commit_callbacks
):
    cohort = CohortFactory()
    p1, p2 = ProviderFactory(), ProviderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = adviser_client.post(reverse("matching:cohort_send", args=[cohort.pk]),
                                       {"providers": [p1.pk, p2.pk], "message": "Kan de?"})
    assert response.status_code == 302
    assert set(CohortRequest.objects.values_list("provider_id", flat=True)) == {p1.pk, p2.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([p1.contact_email, p2.contact_email])
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.SENT
    # Sending again creates no duplicates and no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        adviser_client.post(reverse("matching:cohort_send", args=[cohort.pk]),
                            {"providers": [p1.pk]})
    assert CohortRequest.objects.count() == 2
    assert len(mail.outbox) == 2


def test_send_without_providers_is_refused(adviser_client):
    cohort = CohortFactory()
    business = BusinessFactory()
    response = adviser_client.post(reverse("matching:cohort_send", args=[cohort.pk]),
                                   {"providers": [business.pk]})
    assert response.status_code == 400
    assert "providers" in response.context["send_form"].errors
    assert not CohortRequest.objects.exists()


def test_gap_report_and_csv_escape_formulas(adviser_client):
    evil = Municipality.objects.create(code="9999", name="=HYPERLINK(\"x\")", county_code="99",
                                       latitude=59.5, longitude=8.5)
    NeedFactory(organisation=BusinessFactory(municipality=evil), participants=3)
    NeedFactory(participants=2)
    response = adviser_client.get(reverse("matching:gap_report"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    response = adviser_client.get(reverse("matching:gap_report_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "area_code"
    names = {row[3] for row in rows[1:]}
    assert "'=HYPERLINK(\"x\")" in names and "Seljord" in names


def test_settings_page_saves_valid_weights_and_keeps_the_change(adviser_client):
    data = {"weight_topic": "0.5", "weight_level": "0.1", "weight_format": "0.1",
            "weight_geography": "0.1", "weight_timing": "0.1", "weight_cost": "0.05",
            "weight_capacity": "0.05", "min_score": "35", "top_k": "5",
            "cohort_threshold": "6"}
    response = adviser_client.post(reverse("matching:settings"), data)
    assert response.status_code == 302
    row = MatchingSettings.current()
    assert (row.weight_topic, row.top_k, row.cohort_threshold) == (0.5, 5, 6)
    change = WeightChange.objects.get()
    assert change.before["weight_topic"] == 0.55 and change.after["weight_topic"] == 0.5
    assert change.changed_by is not None and change.source == "page"
    page = adviser_client.get(reverse("matching:settings"))
    assert page.status_code == 200 and b'id="weight-history"' in page.content


@pytest.mark.parametrize(
    ("change", "error_key"),
    [
        ({"weight_cost": "-1"}, "weight_cost"),
        ({"weight_cost": "1.2"}, "weight_cost"),
        ({"min_score": "120"}, "min_score"),
        ({"top_k": "0"}, "top_k"),
        ({"cohort_threshold": "1"}, "cohort_threshold"),
        ({name: "0" for name in ("weight_topic", "weight_level", "weight_format",
                                 "weight_geography", "weight_timing", "weight_cost",
                                 "weight_capacity")}, "__all__"),
        # The case: weights adding up to 1.15 were saved without a word.
        ({"weight_level": "0.23"}, "weight_topic"),
        # Topic below half: convenience could lift an off-topic offer.
        ({"weight_topic": "0.45", "weight_level": "0.18"}, "weight_topic"),
    ],
)
def test_settings_page_refuses_invalid_combinations(adviser_client, change, error_key):
    data = {"weight_topic": "0.55", "weight_level": "0.08", "weight_format": "0.05",
            "weight_geography": "0.12", "weight_timing": "0.08", "weight_cost": "0.07",
            "weight_capacity": "0.05", "min_score": "40", "top_k": "10",
            "cohort_threshold": "8", **change}
    response = adviser_client.post(reverse("matching:settings"), data)
    assert response.status_code == 400
    assert error_key in response.context["form"].errors
    assert MatchingSettings.current().weight_level == 0.08
    assert not WeightChange.objects.exists()


def test_adviser_records_a_decline_with_a_reason(adviser_client):
    match = MatchFactory(status=S.PROPOSED)
    url = reverse("matching:match_transition", args=[match.pk])
    response = adviser_client.post(url, {"action": "decline"})
    assert response.status_code == 400
    assert "reason" in response.context["action_form"].errors
    adviser_client.post(url, {"action": "decline", "reason": "cost", "note": "Ringte"})
    match.refresh_from_db()
    assert (match.status, match.response_reason) == (S.DECLINED, "cost: Ringte")


def test_ids_in_data_attributes_are_never_localised(adviser_client):
    match = MatchFactory(id=12345)
    html = adviser_client.get(reverse("matching:adviser_home")).content.decode()
    assert f'data-match="{match.pk}"' in html


def test_match_page_shows_changed_weights_at_once(adviser_client):
    """The match page keeps the weights per process; saving the settings makes them stale."""
    match = MatchFactory()
    url = reverse("matching:match_detail", args=[match.pk])
    before = {row["name"]: row for row in adviser_client.get(url).context["components"]}
    assert before["topic"]["weight"] == 0.55
    data = {"weight_topic": "0.5", "weight_level": "0.1", "weight_format": "0.1",
            "weight_geography": "0.1", "weight_timing": "0.1", "weight_cost": "0.05",
            "weight_capacity": "0.05", "min_score": "35", "top_k": "5",
            "cohort_threshold": "6"}
    assert adviser_client.post(reverse("matching:settings"), data).status_code == 302
    after = {row["name"]: row for row in adviser_client.get(url).context["components"]}
    assert after["topic"]["weight"] == 0.5 and after["level"]["weight"] == 0.1


def test_match_page_shows_the_date_of_a_registered_interest(adviser_client,
                                                          django_assert_num_queries):
    from django.utils import timezone

    from matching.models import OfferInterest

    match = MatchFactory()
    url = reverse("matching:match_detail", args=[match.pk])
    adviser_client.get(url)  # the per-process and per-user lookups warm up
    with django_assert_num_queries(3):  # the session, the match with the interest, its history
        html = adviser_client.get(url).content.decode()
    assert 'id="registered-interest"' not in html
    interest = OfferInterest.objects.create(organisation=match.need.organisation,
                                            offer=match.offer, need=match.need)
    html = adviser_client.get(url).content.decode()
    assert 'id="registered-interest"' in html
    assert f'datetime="{timezone.localtime(interest.created_at).isoformat()}"' in html


@pytest.mark.parametrize(("name", "current"), [
    ("matching:adviser_home", "adviser_home"), ("matching:cohort_list", "cohort_list"),
    ("matching:gap_report", "gap_report"), ("matching:settings", "settings"),
])
def test_adviser_menu_marks_the_page_shown(adviser_client, name, current):
    for language in ("nb", "en"):
        html = adviser_client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        menu = html.split('<nav class="subnav"', 1)[1].split("</nav>", 1)[0]
        assert menu.count('aria-current="page"') == 1
        assert f'<a href="{reverse(f"matching:{current}")}" aria-current="page">' in menu
    assert ">Matches</a>" in menu and ">Settings</a>" in menu  # English, the last asked for


def test_work_queue_area_filter_sees_a_new_sub_area_at_once(adviser_client):
    """The area filter's ids and the page's SQL are kept per process with the reference
    data: a new sub-area counts at once."""
    from portal.models import CompetenceArea

    offer = OfferFactory()
    for _ in range(26):  # a full first page: the same slice before and after
        MatchFactory(offer=offer, score=50, need=NeedFactory(area=area("skog.motorsag")))
    url = reverse("matching:adviser_home")
    assert len(adviser_client.get(url, {"area": "skog"}).context["page_obj"]) == 25
    sub_area = CompetenceArea.objects.create(code="skog.ny", parent=area("skog"),
                                             label_nb="Ny", label_nn="Ny", label_en="New")
    match = MatchFactory(need=NeedFactory(area=sub_area), score=99)
    page = adviser_client.get(url, {"area": "skog"}).context["page_obj"]
    assert page[0].pk == match.pk and len(page) == 25


def test_match_page_history_names_who_moved_the_match(adviser_client):
    from tests.factories import UserFactory

    match = MatchFactory()
    url = reverse("matching:match_detail", args=[match.pk])
    assert "Nothing has happened yet." in adviser_client.get(
        url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    MatchEvent.objects.create(match=match, from_status="", to_status=S.SUGGESTED)
    MatchEvent.objects.create(match=match, from_status=S.SUGGESTED, to_status=S.APPROVED,
                              actor=UserFactory(full_name="Kari Rådgiver"), note="Passar godt")
    MatchEvent.objects.create(match=match, from_status=S.APPROVED, to_status=S.SUGGESTED,
                              actor=UserFactory(full_name="", email="ola@example.no"))
    response = adviser_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    events = response.context["events"]
    assert [e["actor"] for e in events] == ["", "Kari Rådgiver", "ola@example.no"]
    history = response.content.decode().split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "the system – – → Suggested" in history
    assert "Kari Rådgiver – Suggested → Approved: Passar godt" in history
    assert "ola@example.no – Approved → Suggested" in history
