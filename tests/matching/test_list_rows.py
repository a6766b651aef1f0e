"""The list rows written in Python (`match_rows`, `need_rows`) show what the templates showed:
names escaped, a dash for what is missing, the badges, the links."""

import datetime

import pytest
from django.urls import reverse

from matching.models import Match
from tests.factories import BusinessFactory, CohortFactory, MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_queue_row_escapes_names_and_links_to_the_match(adviser_client):
    match = MatchFactory(score=72.5, status=Match.Status.APPROVED,
                         need__organisation__name="Bakeri <Ost & Brød>")
    html = adviser_client.get(reverse("matching:adviser_home")).content.decode()
    assert f'<tr data-match="{match.pk}">' in html
    assert f'href="{reverse("matching:match_detail", args=[match.pk])}"' in html
    assert "Bakeri &lt;Ost &amp; Brød&gt;" in html and "<Ost" not in html
    assert f'for="select-{match.pk}"' in html and f'value="{match.pk}"' in html
    assert '<td class="score">73</td>' in html  # floatformat:0 rounds half up
    assert 'class="badge status-approved" data-status="approved"' in html


def test_cohort_row_shows_badges_dashes_and_numbers(adviser_client):
    cohort = CohortFactory(is_opportunity=True, is_current=True, participants=1200,
                           window_start=None, window_end=datetime.date(2027, 6, 30))
    html = adviser_client.get(reverse("matching:cohort_list")).content.decode()
    assert f'<tr data-cohort="{cohort.pk}">' in html
    assert 'data-opportunity="true"' in html
    row = html[html.index(f'data-cohort="{cohort.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "<td>– – " in row  # no start date: a dash, as `|default:"–"` wrote
    assert "<td>1200 / 8</td>" in row  # USE_THOUSAND_SEPARATOR is off


def test_adviser_need_row_without_round_or_municipality_shows_dashes(adviser_client):
    need = NeedFactory(title="Truck & løfte", round=None,
                       organisation=BusinessFactory(municipality=None))
    html = adviser_client.get(reverse("needs:adviser_list")).content.decode()
    row = html[html.index(f'data-need="{need.pk}"'):]
    row = row[:row.index("</tr>")]
    assert f'href="{reverse("needs:need_detail", kwargs={"pk": need.pk})}"' in row
    assert "Truck &amp; løfte" in row
    assert row.count("<td>–</td>") == 2


def test_provider_request_card_escapes_named_businesses_and_shows_the_facts(
    provider_client, provider,
):
    from matching.models import CohortRequest
    from needs.models import SurveyResponse

    cohort = CohortFactory(participants=1500, business_count=3, online=False,
                           anchor_municipality=None, window_start=None,
                           window_end=datetime.date(2027, 6, 30))
    for name, consent, phone in (("Sag <&> Høvel", SurveyResponse.Consent.NAMED, "+47 1 2"),
                                 ("Skjult AS", SurveyResponse.Consent.ANONYMOUS, "")):
        organisation = BusinessFactory(name=name, contact_name=f"Kari «{name}»",
                                       contact_phone=phone)
        response = SurveyResponse.objects.create(organisation=organisation, consent=consent,
                                                 status=SurveyResponse.Status.SUBMITTED)
        cohort.memberships.create(need=NeedFactory(organisation=organisation, response=response,
                                                   participants=4))
    request = CohortRequest.objects.create(cohort=cohort, provider=provider)
    html = provider_client.get(reverse("matching:provider_cohorts")).content.decode()
    card = html[html.index(f'<li class="card" data-request="{request.pk}">'):]
    card = card[:card.index("</li>")]
    assert f'href="{reverse("matching:provider_request", args=[request.pk])}"' in card
    assert 'class="badge status-sent" data-status="sent"' in card
    assert '<dd data-online="false">–</dd>' in card  # no anchor municipality: a dash
    assert "<dd>– – " in card  # no start date
    assert 'data-participants="1500" data-shown-participants="8"' in card
    assert "<th scope=\"row\">Sag &lt;&amp;&gt; Høvel</th>" in card and "<&>" not in card
    assert 'href="mailto:' in card and " – +47 1 2</td><td>4</td>" in card
    assert "Skjult AS" not in card and '<p class="meta">' in card  # counted, not named


def test_proposal_card_escapes_the_offer_and_gives_each_card_its_own_ids(
    business_client, business,
):
    proposed = MatchFactory(need=NeedFactory(organisation=business), status=Match.Status.PROPOSED,
                            offer__title="Sveis <TIG> & MIG", offer__price_nok=12500,
                            offer__start_date=None, offer__url="https://kurs.example/a?b=1&c=2")
    declined = MatchFactory(need=NeedFactory(organisation=business), status=Match.Status.DECLINED,
                            response_reason="cost")
    html = business_client.get(reverse("matching:business_proposals")).content.decode()
    card = html[html.index(f'id="proposal-{proposed.pk}"'):]
    card = card[:card.index("</details>")]
    assert "Sveis &lt;TIG&gt; &amp; MIG" in card and "<TIG>" not in card
    assert '<span class="visually-hidden">Sveis &lt;TIG&gt; &amp; MIG</span>' in card
    assert f'action="{reverse("matching:proposal_accept", args=[proposed.pk])}"' in card
    assert f'action="{reverse("matching:proposal_decline", args=[proposed.pk])}"' in card
    assert f'id="reason-{proposed.pk}-cost" required>' in card
    assert f'<label for="reason-{proposed.pk}-cost">' in card
    assert f'<textarea name="note" id="note-{proposed.pk}"' in card
    assert card.count('name="csrfmiddlewaretoken"') == 2
    assert 'href="https://kurs.example/a?b=1&amp;c=2" rel="noopener"' in card
    assert "<dd>–</dd>" in card  # no start date
    assert 'class="badge status-proposed" data-status="proposed"' in card
    other = html[html.index(f'id="proposal-{declined.pk}"'):]
    other = other[:other.index("</li>")]
    assert 'data-action="accept"' not in other and '<p class="meta">' in other


def test_cohort_page_rows_escape_names_and_link_an_interested_provider(adviser_client):
    from matching.models import CohortRequest
    from needs.models import SurveyResponse
    from tests.factories import ProviderFactory

    cohort = CohortFactory()
    named = BusinessFactory(name="Fisk & <Fangst>", municipality=None)
    response = SurveyResponse.objects.create(organisation=named,
                                             consent=SurveyResponse.Consent.NAMED,
                                             status=SurveyResponse.Status.SUBMITTED)
    with_consent = NeedFactory(organisation=named, response=response, participants=3)
    without = NeedFactory(response=None)
    for need in (with_consent, without):
        cohort.memberships.create(need=need)
    interested = CohortRequest.objects.create(
        cohort=cohort, provider=ProviderFactory(name="Kurs <AS>"), status="interested",
        response="Vi kan & vil")
    waiting = CohortRequest.objects.create(cohort=cohort, provider=ProviderFactory())
    html = adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk])).content.decode()
    row = html[html.index(f'<tr data-need="{with_consent.pk}">'):]
    row = row[:row.index("</tr>")]
    assert '<th scope="row">Fisk &amp; &lt;Fangst&gt;</th>' in row
    assert "<td>–</td>" in row and "<td>3</td>" in row  # no municipality: a dash
    assert "<td>Tilbydere kan kontakte oss med navn</td>" in row  # nb: the consent's label
    row = html[html.index(f'<tr data-need="{without.pk}">'):]
    assert "<td>Bare statistikk</td>" in row[:row.index("</tr>")]  # no survey answer
    row = html[html.index(f'<tr data-request="{interested.pk}">'):]
    row = row[:row.index("</tr>")]
    assert "Kurs &lt;AS&gt;" in row and "Vi kan &amp; vil" in row
    assert 'data-status="interested"' in row
    assert f'href="{reverse("meetings:create")}?request={interested.pk}"' in row
    row = html[html.index(f'<tr data-request="{waiting.pk}">'):]
    row = row[:row.index("</tr>")]
    assert "<td>–</td>" in row and "?request=" not in row


def test_fitting_offer_items_escape_titles_and_give_an_on_demand_minimum(adviser_client):
    from tests.factories import OfferFactory, ProviderFactory

    cohort = CohortFactory()
    OfferFactory(title="Motorsag <grunnkurs> & HMS", on_demand=True, min_participants=1500,
                 provider=ProviderFactory(name="Skog & Co"))
    html = adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk])).content.decode()
    items = html[html.index('<ul id="fitting-offers">'):]
    items = items[:items.index("</ul>")]
    assert ("<li>Motorsag &lt;grunnkurs&gt; &amp; HMS – Skog &amp; Co "
            "(ved nok påmeldte, min. 1500)</li>") in items  # nb; USE_THOUSAND_SEPARATOR is off


def test_adviser_need_row_without_title_names_the_area_in_the_readers_language(adviser_client):
    need = NeedFactory(title="", participants=4)
    html = adviser_client.get(reverse("needs:adviser_list"),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html[html.index(f'data-need="{need.pk}"'):]
    assert f">{need.area.label_en} (4)</a>" in row[:row.index("</tr>")]


def test_cohort_page_lead_ends_its_counts_with_a_full_stop_not_a_space(adviser_client):
    cohort = CohortFactory()
    html = adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk])).content.decode()
    lead = html[html.index('<p class="lead">'):]
    assert '</span>. <span class="meta">' in lead[:lead.index("</p>")]
