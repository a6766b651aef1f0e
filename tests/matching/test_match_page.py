"""The adviser's match page, written in Python (`matching/templatetags/match_page_parts.py`):
the same markup as the template it replaced, every value escaped, a fixed number of queries
whatever the history, and the adviser's municipality scope."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matching.engine import bands
from matching.models import Match, MatchEvent, OfferInterest
from tests.factories import (
    BusinessFactory,
    MatchFactory,
    NeedFactory,
    OfferFactory,
    ProviderFactory,
    UserFactory,
    municipality,
    scoped_adviser,
)

pytestmark = pytest.mark.django_db
S = Match.Status
HOSTILE = '<b>O\'Brien & "Co"</b>'
REASONS = [{"code": "same_subarea", "area": "skog.motorsag"},
           {"code": "words", "words": ["<script>", "a&b"]},
           {"code": "too_far", "km": 120, "limit": 60, "municipality": "4022"},
           {"code": "over_budget", "over": 3500},
           {"code": "too_few_places", "places": 3, "participants": 5}]

# The page's content as `matching/match_detail.html` wrote it with template tags before its
# parts moved to Python: the Python must write exactly this.
TEMPLATE_CONTENT = (Path(__file__).parent.parent / "assets"
                    / "match_detail_content_template.html").read_text()


def _hostile_match() -> Match:
    business = BusinessFactory(name=HOSTILE, contact_name="<i>Kari</i>",
                               contact_email="k&k@example.no")
    need = NeedFactory(organisation=business, title="", level="",
                       description="Line 1 <x>\nLine 2 & more", latest_start=None)
    offer = OfferFactory(provider=ProviderFactory(name="Kurs <&> AS"), title='Kurs "<1>"',
                         price_nok=12500, start_date=None, municipality=None, format="online")
    match = MatchFactory(need=need, offer=offer, status=S.DECLINED, reasons=REASONS,
                         response_reason="cost: Ringte <x>", adviser_note="Note <b>&amp;</b>",
                         components={"topic": 0.333, "level": 0.5, "extra<x>": 0.7},
                         score=55.55)
    OfferInterest.objects.create(organisation=business, offer=offer, need=need)
    return match


def _with_history(match: Match) -> Match:
    when = timezone.make_aware(dt.datetime(2026, 3, 4, 13, 5))
    for k, (before, after, actor, note) in enumerate([
            ("", S.SUGGESTED, None, ""),
            (S.SUGGESTED, S.APPROVED, UserFactory(full_name="Kari <Rådgiver>"), "Passar <godt> &"),
            (S.APPROVED, S.SUGGESTED, UserFactory(full_name="", email="ola@example.no"), "")]):
        event = MatchEvent.objects.create(match=match, from_status=before, to_status=after,
                                          actor=actor, note=note)
        MatchEvent.objects.filter(pk=event.pk).update(created_at=when + dt.timedelta(hours=k))
    return match


def _cases() -> dict:
    return {
        "hostile": _hostile_match(),
        "suggested with history": _with_history(MatchFactory(reasons=[{"code": "online"}])),
        "approved, retired": MatchFactory(status=S.APPROVED, is_current=False, score=70.0,
                                          reasons=[{"code": "other_level"}]),
        "enrolled, no reasons": MatchFactory(status=S.ENROLLED, score=39.99),
        "proposed": MatchFactory(status=S.PROPOSED, need=NeedFactory(earliest_start=None)),
    }


def _tokens_masked(html: str) -> str:
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1"', html)


def _as_the_template_wrote_it(response) -> str:
    context = {key: response.context[key] for key in (
        "match", "need_area_label", "need_name", "business_place", "offer_place", "offer_url",
        "explanation", "explanation_parts", "band", "band_label", "components", "events",
        "actions", "action_buttons", "can_decline", "interest", "action_fields",
        "note_fields")}
    template = engines["django"].from_string(TEMPLATE_CONTENT)
    return template.render({**context, "bands": bands}, request=response.wsgi_request)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_match_page_writes_what_the_template_wrote(adviser_client, language):
    for name, match in _cases().items():
        response = adviser_client.get(reverse("matching:match_detail", args=[match.pk]),
                                      HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        html = _tokens_masked(response.content.decode())
        assert _tokens_masked(_as_the_template_wrote_it(response)) in html, name


@pytest.mark.parametrize("language", ["nb", "en"])
def test_failed_posts_show_the_page_as_the_template_wrote_it(adviser_client, language):
    match = _with_history(_hostile_match())
    Match.objects.filter(pk=match.pk).update(status=S.PROPOSED)  # a decline may be recorded
    for url, data, errors in [
            ("matching:match_transition", {"action": "decline", "note": "<n>"}, 1),
            ("matching:match_transition", {"action": "explode"}, 0),  # no field shows it
            ("matching:match_note", {"adviser_note": "<i>y</i>\x00&"}, 1)]:
        response = adviser_client.post(reverse(url, args=[match.pk]), data,
                                       HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        html = _tokens_masked(response.content.decode())
        assert _tokens_masked(_as_the_template_wrote_it(response)) in html, data
        assert 'id="registered-interest"' in html
        assert html.count('class="errorlist"') == errors


def test_match_page_escapes_every_value(adviser_client):
    match = _with_history(_hostile_match())
    html = adviser_client.get(reverse("matching:match_detail", args=[match.pk]),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for raw in ("<b>O'Brien", "<i>Kari", "<x>", "<script>", "<1>", "<&>", "<godt>",
                "<Rådgiver>", "a&b", "k&k@"):
        assert raw not in html, raw
    assert ("<h1>&lt;b&gt;O&#x27;Brien &amp; &quot;Co&quot;&lt;/b&gt; × Kurs &quot;&lt;1&gt;"
            "&quot;</h1>") in html
    assert "<p>Line 1 &lt;x&gt;<br>Line 2 &amp; more</p>" in html
    assert "Matches: &lt;script&gt;, a&amp;b" in html
    assert "Kari &lt;Rådgiver&gt; – Suggested → Approved: Passar &lt;godt&gt; &amp;</li>" in html
    assert '<tr data-component="extra&lt;x&gt;">' in html
    assert ">\nNote &lt;b&gt;&amp;amp;&lt;/b&gt;</textarea>" in html


def test_match_page_queries_stay_the_same_as_the_history_grows(adviser_client,
                                                               django_assert_num_queries):
    match = MatchFactory()
    OfferInterest.objects.create(organisation=match.need.organisation, offer=match.offer,
                                 need=match.need)
    url = reverse("matching:match_detail", args=[match.pk])
    adviser_client.get(url)  # the per-process and per-user lookups warm up
    for events in (0, 1, 8):
        MatchEvent.objects.filter(match=match).delete()
        for _ in range(events):
            MatchEvent.objects.create(match=match, from_status=S.SUGGESTED,
                                      to_status=S.APPROVED, actor=UserFactory(), note="x")
        # The session, the match with its need, offer and interest, its history.
        with django_assert_num_queries(3):
            html = adviser_client.get(url).content.decode()
        assert html.count("<li><time datetime=") == events


def test_adviser_out_of_scope_gets_a_404_on_the_page_and_its_forms():
    adviser = scoped_adviser("4020")
    inside = MatchFactory(need=NeedFactory(organisation=BusinessFactory(
        municipality=municipality("4020"))))
    outside = MatchFactory(need=NeedFactory(organisation=BusinessFactory(
        municipality=municipality("4036"))))
    client = Client()
    client.force_login(adviser)
    assert client.get(reverse("matching:match_detail", args=[inside.pk])).status_code == 200
    assert client.get(reverse("matching:match_detail", args=[outside.pk])).status_code == 404
    for url, data in [("matching:match_transition", {"action": "explode"}),
                      ("matching:match_note", {"adviser_note": "x\x00"})]:
        assert client.post(reverse(url, args=[outside.pk]), data).status_code == 404
        assert client.post(reverse(url, args=[inside.pk]), data).status_code == 400
