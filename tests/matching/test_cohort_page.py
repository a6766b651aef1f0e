"""The adviser's cohort page, written in Python from two SQL kept per process
(`matching.cohort_page`, `{% cohort_page_body %}`): the same queries however big the cohort,
the adviser's scope, escaping, the forms' errors, and changes shown at the next request."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import CohortNeed, CohortRequest
from needs.models import SurveyResponse
from tests.factories import (
    BusinessFactory,
    CohortFactory,
    NeedFactory,
    OfferFactory,
    ProviderFactory,
    municipality,
    scoped_adviser,
)

pytestmark = pytest.mark.django_db


def _url(cohort) -> str:
    return reverse("matching:cohort_detail", args=[cohort.pk])


def _member(cohort, code="4022", consent=SurveyResponse.Consent.NAMED, **kwargs):
    business = BusinessFactory(municipality=municipality(code), **kwargs)
    response = SurveyResponse.objects.create(organisation=business, consent=consent)
    need = NeedFactory(organisation=business, response=response)
    CohortNeed.objects.create(cohort=cohort, need=need)
    return need


def _grow(cohort, n: int) -> None:
    for i in range(n):
        _member(cohort, code=("4022", "4036")[i % 2])
        CohortRequest.objects.create(cohort=cohort, provider=OfferFactory().provider)


def _queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # the per-process memos and the compiled SQL warm up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # The page's own queries (the test settings keep sessions in the database).
    page = [q for q in ctx.captured_queries if '"django_session"' not in q["sql"]]
    return len(page), response.content.decode()


def test_the_page_reads_two_queries_however_many_members(adviser_client):
    cohort = CohortFactory()
    _grow(cohort, 3)
    few, html = _queries(adviser_client, _url(cohort))
    assert html.count("<tr data-need=") == 3 and html.count("<tr data-request=") == 3
    _grow(cohort, 27)
    many, html = _queries(adviser_client, _url(cohort))
    assert html.count("<tr data-need=") == 30 and html.count("<tr data-request=") == 30
    # The cohort with its members, and who it was sent to.
    assert few == many == 2


def test_a_scoped_adviser_reads_the_whole_cohorts_counts_in_one_more_query(client):
    cohort = CohortFactory()
    _grow(cohort, 4)
    client.force_login(scoped_adviser("4022"))
    few, html = _queries(client, _url(cohort))
    assert html.count("<tr data-need=") == 2
    _grow(cohort, 10)
    many, html = _queries(client, _url(cohort))
    assert html.count("<tr data-need=") == 7
    assert few == many == 3


def test_a_scoped_adviser_sees_only_the_members_in_scope(client):
    cohort = CohortFactory(participants=20, business_count=2)
    inside = _member(cohort, "4022", name="Innenfor AS")
    outside = _member(cohort, "4036", name="Utenfor AS")
    client.force_login(scoped_adviser("4022"))
    response = client.get(_url(cohort))
    html = response.content.decode()
    assert f'<tr data-need="{inside.pk}">' in html and "Innenfor AS" in html
    assert f'data-need="{outside.pk}"' not in html and "Utenfor AS" not in html
    assert [row["pk"] for row in response.context["members"]] == [inside.pk]
    # The counts are the whole cohort's, as a provider sees them (both businesses agreed).
    assert response.context["summary"].business_count == 2


def test_a_cohort_without_members_in_scope_is_a_404_for_a_scoped_adviser(client):
    cohort = CohortFactory()
    _member(cohort, "4036")
    client.force_login(scoped_adviser("4022"))
    assert client.get(_url(cohort)).status_code == 404
    send = reverse("matching:cohort_send", args=[cohort.pk])
    assert client.post(send, {"providers": [], "message": ""}).status_code == 404
    assert client.post(_url(cohort), {"status": "reviewed"}).status_code == 404
    empty = CohortFactory()
    assert client.get(_url(empty)).status_code == 404


def test_an_adviser_without_a_limit_sees_a_cohort_without_members(adviser_client):
    cohort = CohortFactory()
    response = adviser_client.get(_url(cohort))
    assert response.status_code == 200
    assert response.context["members"] == []
    assert "<tbody>\n  \n  </tbody>" in response.content.decode()
    assert adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk + 1000])
                              ).status_code == 404


def test_names_answers_and_notes_are_escaped(adviser_client):
    cohort = CohortFactory(adviser_note='Ring <b>Per</b> & "Kari"')
    need = _member(cohort, name='Sag & <Søn> "AS"')
    provider = ProviderFactory(name="Kurs <i>AS</i>")
    CohortRequest.objects.create(cohort=cohort, provider=provider, response="Ja <takk>",
                                 status=CohortRequest.Status.INTERESTED)
    html = adviser_client.get(_url(cohort)).content.decode()
    assert "<b>" not in html and "<Søn>" not in html and "<i>AS" not in html
    assert f'<tr data-need="{need.pk}">\n      <th scope="row">Sag &amp; &lt;Søn&gt; ' \
           "&quot;AS&quot;</th>" in html
    request = CohortRequest.objects.get(cohort=cohort)
    assert (f'<tr data-request="{request.pk}"><th scope="row">Kurs &lt;i&gt;AS&lt;/i&gt;</th>'
            f'<td><span class="badge status-interested" data-status="interested">') in html
    assert (f'Ja &lt;takk&gt; <a href="{reverse("meetings:create")}?request={request.pk}">'
            in html)
    assert "Ring &lt;b&gt;Per&lt;/b&gt; &amp; &quot;Kari&quot;</textarea>" in html


def test_the_lead_and_the_forms_keep_the_templates_markup(adviser_client):
    cohort = CohortFactory(participants=9, business_count=2, threshold=8)
    _member(cohort)
    html = adviser_client.get(_url(cohort), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('</span>. <span class="meta">Threshold 8. Providers see only the businesses that '
            "allowed it.</span></p>\n\n<dl class=\"facts\">") in html
    assert (f'<p class="actions"><a class="btn" id="cohort-meeting" '
            f'href="{reverse("meetings:create")}?cohort={cohort.pk}">') in html
    assert re.search(
        rf'<form method="post" action="{_url(cohort)}" id="cohort-status-form">\n'
        r'    <input type="hidden" name="csrfmiddlewaretoken" value="\w+">\n    ', html)
    assert re.search(r'</form>\n  \n</section>\n', html)  # not sent yet: no table of answers
    assert "<title>Cohort: " in html


def test_a_failed_post_shows_its_errors_and_the_posted_values(adviser_client):
    cohort = CohortFactory()
    _member(cohort)
    response = adviser_client.post(_url(cohort), {"status": "bogus", "adviser_note": "x <y>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html and "x &lt;y&gt;</textarea>" in html
    send = adviser_client.post(reverse("matching:cohort_send", args=[cohort.pk]),
                               {"providers": [], "message": "m & <n>"})
    assert send.status_code == 400
    assert "errorlist" in send.content.decode() and "m &amp; &lt;n&gt;" in send.content.decode()


def test_a_new_status_a_new_member_and_an_answer_show_at_the_next_request(adviser_client):
    cohort = CohortFactory(status="new")
    _member(cohort)
    url = _url(cohort)
    assert 'data-status="new"' in adviser_client.get(url).content.decode()
    adviser_client.post(url, {"status": "reviewed", "adviser_note": ""})
    html = adviser_client.get(url).content.decode()
    assert '<span class="badge status-reviewed" data-status="reviewed">' in html
    assert re.search(r'<option value="reviewed" selected>', html)
    need = _member(cohort, name="Nykommer AS")
    request = CohortRequest.objects.create(cohort=cohort, provider=ProviderFactory())
    html = adviser_client.get(url).content.decode()
    assert f'<tr data-need="{need.pk}">' in html and "Nykommer AS" in html
    assert f'<tr data-request="{request.pk}">' in html
    CohortRequest.objects.filter(pk=request.pk).update(response="Vi er med",
                                                       status=CohortRequest.Status.INTERESTED)
    assert "Vi er med" in adviser_client.get(url).content.decode()


def test_an_edited_offer_shows_at_the_next_request(adviser_client):
    cohort = CohortFactory()
    offer = OfferFactory(title="Motorsag grunnkurs")
    assert "Motorsag grunnkurs" in adviser_client.get(_url(cohort)).content.decode()
    offer.title = "Motorsag videregående"
    offer.save()
    html = adviser_client.get(_url(cohort)).content.decode()
    assert "Motorsag videregående" in html and "Motorsag grunnkurs" not in html
