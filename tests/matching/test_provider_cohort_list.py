"""The provider's list of cohort requests: what each card shows per consent level, the same
figures as the request's own page and the adviser's cohort page, and a change to a member
shows at the next request although the list keeps what it read per process."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.cohorts import cohorts_rebuild
from matching.models import Cohort, CohortRequest
from matching.selectors import (
    cohort_provider_summaries,
    provider_request_rows,
    provider_request_summaries,
)
from needs import signals
from needs.models import Need, SurveyResponse
from tests.factories import BusinessFactory, CohortFactory, NeedFactory, municipality

pytestmark = pytest.mark.django_db
C = SurveyResponse.Consent


def _answer(org, consent: str | None) -> SurveyResponse | None:
    if consent is None:
        return None
    return SurveyResponse.objects.create(organisation=org, consent=consent,
                                         status=SurveyResponse.Status.SUBMITTED)


def _member(cohort, org, consent: str | None, participants: int) -> Need:
    need = NeedFactory(organisation=org, response=_answer(org, consent),
                       participants=participants)
    cohort.memberships.create(need=need)
    return need


def _business(name: str, **kwargs):
    return BusinessFactory(name=name, contact_name=f"Kontakt {name}",
                           contact_email=f"{name.split()[0].lower()}@example.no", **kwargs)


@pytest.fixture
def cohorts(provider):
    """Two cohorts sent to the provider, with every consent level, a business with a named and
    an anonymous need, two businesses of the same name, one in both cohorts, and a third
    cohort that shows nobody."""
    first = CohortFactory(participants=40, business_count=8)
    second = CohortFactory(participants=12, business_count=3)
    nobody = CohortFactory(participants=5, business_count=1)
    both = _business("Begge Sider AS")
    twin_a, twin_b = _business("Tvilling AS"), _business("Tvilling AS")
    _member(first, _business("Vestre Skog AS"), C.NAMED, 4)
    _member(first, _business("Anonym Hogst AS"), C.ANONYMOUS, 3)
    _member(first, _business("Statistikk Tre AS"), C.STATISTICS, 5)
    _member(first, _business("Uten Svar AS"), None, 6)
    _member(first, _business("Blank Svar AS"), "", 2)
    mixed = _business("Blanda AS")
    _member(first, mixed, C.ANONYMOUS, 2)
    _member(first, mixed, C.NAMED, 7)
    _member(first, twin_b, C.NAMED, 1)
    _member(first, twin_a, C.NAMED, 2)
    _member(first, both, C.NAMED, 3)
    _member(second, both, C.NAMED, 5)
    _member(second, _business("Aasen AS"), C.ANONYMOUS, 4)
    _member(nobody, _business("Berre Tal AS"), C.STATISTICS, 5)
    for cohort in (first, second, nobody):
        CohortRequest.objects.create(cohort=cohort, provider=provider)
    return first, second, nobody


def test_list_summaries_are_those_of_each_cohort(provider, cohorts):
    rows = provider_request_rows(provider.pk)
    assert [row["cohort_id"] for row in rows] == [c.pk for c in reversed(cohorts)]
    listed = provider_request_summaries(provider.pk, rows)
    assert listed == cohort_provider_summaries(list(cohorts))
    first = listed[cohorts[0].pk]
    assert (first.participants, first.need_count, first.business_count) == (22, 7, 6)
    assert [(b.name, b.participants) for b in first.named] == [
        ("Begge Sider AS", 3), ("Blanda AS", 7), ("Tvilling AS", 1), ("Tvilling AS", 2),
        ("Vestre Skog AS", 4)]
    assert first.anonymous_businesses == 1
    assert listed[cohorts[2].pk].business_count == 0


def _card(html: str, request: CohortRequest) -> str:
    card = html[html.index(f'<li class="card" data-request="{request.pk}">'):]
    return card[:card.index("</li>")]


def _counts(html: str) -> str:
    return re.search(r'<span class="cohort-counts"[^>]*>[^<]*</span>', html).group(0)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_a_card_says_what_the_request_page_and_the_advisers_page_say(
    provider_client, adviser_user, provider, cohorts, language,
):
    adviser_client = Client()  # `provider_client` is the test's own client
    adviser_client.force_login(adviser_user)
    html = provider_client.get(reverse("matching:provider_cohorts"),
                               HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for cohort in cohorts:
        request = CohortRequest.objects.get(cohort=cohort, provider=provider)
        card = _card(html, request)
        page = provider_client.get(reverse("matching:provider_request", args=[request.pk]),
                                   HTTP_ACCEPT_LANGUAGE=language).content.decode()
        adviser = adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk]),
                                     HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert _counts(card) == _counts(page) == _counts(adviser)
        assert {"nb": " fra ", "nn": " frå ", "en": " from "}[language] in _counts(card)
        summary = page[page.index('<span class="cohort-counts"'):page.index("<h2>")].rstrip()
        assert summary in card  # the named businesses and the anonymous count, too


def test_a_card_names_only_businesses_that_agreed(provider_client, cohorts):
    html = provider_client.get(reverse("matching:provider_cohorts")).content.decode()
    assert 'data-participants="40" data-shown-participants="22"' in html
    assert "Kontakt Vestre Skog AS" in html and 'href="mailto:begge@example.no"' in html
    for hidden in ("Anonym Hogst", "Statistikk Tre", "Uten Svar", "Blank Svar", "Aasen",
                   "Berre Tal"):
        assert hidden not in html


def _list(client) -> str:
    return client.get(reverse("matching:provider_cohorts")).content.decode()


def test_the_list_keeps_what_it_read_until_a_member_changes(provider_client, cohorts):
    _list(provider_client)
    with CaptureQueriesContext(connection) as ctx:
        _list(provider_client)
    assert not any("matching_cohortneed" in q["sql"] for q in ctx.captured_queries)
    need = Need.objects.get(organisation__name="Vestre Skog AS")
    need.participants = 9
    need.save()
    assert 'data-shown-participants="27"' in _list(provider_client)


def test_a_changed_consent_shows_at_once(provider_client, cohorts):
    assert "Kontakt Vestre Skog AS" in _list(provider_client)
    answer = SurveyResponse.objects.get(organisation__name="Vestre Skog AS")
    answer.consent = C.STATISTICS
    answer.save()
    html = _list(provider_client)
    assert "Vestre Skog AS" not in html and 'data-shown-participants="18"' in html
    answer = SurveyResponse.objects.get(organisation__name="Anonym Hogst AS")
    answer.consent = C.NAMED
    answer.save()
    assert "Kontakt Anonym Hogst AS" in _list(provider_client)


def test_a_changed_contact_or_a_deleted_need_shows_at_once(provider_client, cohorts):
    _list(provider_client)
    business = Need.objects.get(organisation__name="Vestre Skog AS").organisation
    business.contact_name = "Ny <Kontakt>"
    business.save()
    html = _list(provider_client)
    assert "Ny &lt;Kontakt&gt;" in html and "<Kontakt>" not in html
    Need.objects.get(organisation=business).delete()
    assert "Ny &lt;Kontakt&gt;" not in _list(provider_client)


def test_an_imported_change_shows_at_once(provider_client, cohorts):
    """An import writes with `bulk_update` (no save) and then sends `need_changed`."""
    _list(provider_client)
    need = Need.objects.get(organisation__name="Vestre Skog AS")
    Need.objects.filter(pk=need.pk).update(participants=10)
    signals.need_changed.send(sender=Need, need_id=need.pk)
    assert 'data-shown-participants="28"' in _list(provider_client)


def test_a_rebuild_that_replaces_members_shows_at_once(provider_client, provider):
    def business(name):
        return _business(name, municipality=municipality("4022"))

    needs = [NeedFactory(organisation=business(f"Medlem{i} AS"), participants=4)
             for i in range(3)]
    for need in needs:
        need.response = _answer(need.organisation, C.NAMED)
        need.save()
    newcomer = business("Nykomar AS")
    newcomer_answer = _answer(newcomer, C.NAMED)
    cohorts_rebuild()
    cohort = Cohort.objects.get(is_current=True)
    CohortRequest.objects.create(cohort=cohort, provider=provider)
    assert "Medlem2 AS" in _list(provider_client)
    # Nothing saved, so no signal, and the same totals: only the rebuild's own write of the
    # members says they changed.
    Need.objects.filter(pk=needs[2].pk).update(status=Need.Status.WITHDRAWN)
    replacement = NeedFactory.build(organisation=newcomer, response=newcomer_answer,
                                    participants=4)
    Need.objects.bulk_create([replacement])
    cohorts_rebuild()
    cohort.refresh_from_db()
    assert (cohort.participants, cohort.business_count) == (12, 3)
    assert set(cohort.memberships.values_list("need_id", flat=True)) == {
        needs[0].pk, needs[1].pk, replacement.pk}
    html = _list(provider_client)
    assert "Medlem0 AS" in html and "Nykomar AS" in html and "Medlem2 AS" not in html


def test_a_new_request_and_an_answer_show_at_once(provider_client, provider, cohorts):
    extra = CohortFactory(participants=4, business_count=1)
    _member(extra, _business("Ny Medlem AS"), C.NAMED, 4)
    _list(provider_client)  # no member changes after this: only the new request
    CohortRequest.objects.filter(cohort=cohorts[0]).update(status="interested")
    request = CohortRequest.objects.create(cohort=extra, provider=provider)
    html = _list(provider_client)
    assert "Kontakt Ny Medlem AS" in _card(html, request)
    first = CohortRequest.objects.get(cohort=cohorts[0])
    assert 'data-status="interested"' in _card(html, first)


def test_a_renamed_area_and_a_new_date_show_at_once(provider_client, cohorts):
    _list(provider_client)
    area = cohorts[0].area
    area.label_nb = "Motorsag <ny>"
    area.save()
    assert "Motorsag &lt;ny&gt;" in _list(provider_client)
    Cohort.objects.filter(pk=cohorts[0].pk).update(window_start="2031-01-02")
    assert "02.01.2031" in _list(provider_client)
