import pytest
from django.urls import reverse

from needs.models import Need
from tests.factories import NeedFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


def _needs(business, n):
    survey_round = SurveyRoundFactory()
    statuses = list(Need.Status.values)
    for i in range(n):
        NeedFactory(organisation=business, round=survey_round, status=statuses[i % 5],
                    title=f"Behov {i}")


def test_needs_are_grouped_by_status_with_links(business_client, business):
    _needs(business, 5)
    page = business_client.get(reverse("needs:business_home"))
    html = page.content.decode()
    for status in Need.Status.values:
        assert f'data-status="{status}"' in html
    assert reverse("matching:business_proposals") in html
    assert reverse("needs:survey_start") in html


def test_page_query_count_is_constant(business_client, business,
                                      django_assert_max_num_queries):
    _needs(business, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        business_client.get(reverse("needs:business_home"))
    _needs(business, 45)
    assert Need.objects.filter(organisation=business).count() == 50
    with django_assert_max_num_queries(len(five.captured_queries)):
        page = business_client.get(reverse("needs:business_home"))
    assert page.content.decode().count("data-need=") == 50


def test_other_businesses_needs_are_not_listed(business_client, business):
    NeedFactory(organisation=business, title="Vår egen")
    NeedFactory(title="Naboens hemmelige behov")
    html = business_client.get(reverse("needs:business_home")).content.decode()
    assert "Vår egen" in html and "Naboens" not in html


def test_edit_submitted_need_from_business_page(business_client, business):
    need = NeedFactory(organisation=business)
    url = reverse("needs:need_edit", kwargs={"pk": need.pk})
    assert business_client.get(url).status_code == 200
    response = business_client.post(url, {
        "area": need.area_id, "participants": "2", "formats": ["online"], "priority": "low",
        "willing_to_share": "on"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.participants == 2 and need.status == Need.Status.SUBMITTED


def test_withdraw_from_business_page(business_client, business):
    need = NeedFactory(organisation=business)
    url = reverse("needs:need_withdraw", kwargs={"pk": need.pk})
    assert business_client.get(url).status_code == 200
    business_client.post(url)
    need.refresh_from_db()
    assert need.status == Need.Status.WITHDRAWN


def test_rows_show_each_needs_window_round_and_the_actions_its_status_allows(business_client,
                                                                             business):
    """The rows are written in Python (needs/templatetags/business_needs.py): each carries its
    own links, the time window as the shared include words it, and only the allowed actions."""
    import datetime as dt

    survey_round = SurveyRoundFactory(name="Runde 2027")
    start, end = dt.date(2027, 3, 1), dt.date(2027, 5, 1)
    both = NeedFactory(organisation=business, round=survey_round, title="Begge datoer",
                       earliest_start=start, latest_start=end, participants=1200)
    only_start = NeedFactory(organisation=business, title="Bare start", earliest_start=start,
                             latest_start=None, status=Need.Status.DRAFT)
    only_end = NeedFactory(organisation=business, title="Bare slutt", earliest_start=None,
                           latest_start=end, status=Need.Status.WITHDRAWN)
    neither = NeedFactory(organisation=business, title="Ingen <dato>", earliest_start=None,
                          latest_start=None, status=Need.Status.COVERED)
    html = business_client.get(reverse("needs:business_home")).content.decode()

    def row(need):
        return html.split(f'data-need="{need.pk}"')[1].split("</tr>")[0]

    assert "01.03.2027 – 01.05.2027" in row(both) and "Runde 2027" in row(both)
    assert "<td>1200</td>" in row(both) or "<td>1\xa0200</td>" in row(both)
    assert "fra 01.03.2027" in row(only_start) and "<td>–</td>" in row(only_start)
    assert "innen 01.05.2027" in row(only_end)
    assert "Ingen &lt;dato&gt;" in row(neither) and "<dato>" not in row(neither)
    for need in (both, only_start):
        assert f'href="{reverse("needs:need_detail", kwargs={"pk": need.pk})}"' in row(need)
        assert f'href="{reverse("needs:need_edit", kwargs={"pk": need.pk})}"' in row(need)
        assert f'href="{reverse("needs:need_withdraw", kwargs={"pk": need.pk})}"' in row(need)
    assert reverse("needs:need_edit", kwargs={"pk": only_end.pk}) not in row(only_end)
    assert reverse("needs:need_withdraw", kwargs={"pk": only_end.pk}) not in row(only_end)
    assert reverse("needs:need_edit", kwargs={"pk": neither.pk}) not in row(neither)
    assert "Ingen ønsket tidspunkt" in row(neither)


def test_need_page_summary_escapes_and_writes_every_detail(business_client, business):
    """The need's details, written in Python (`{% need_summary %}`): escaped text, line
    breaks, the participants' split, the time window and the optional rows."""
    need = NeedFactory(organisation=business, description='Saw <b>&</b> "safe"\nline two',
                       participants=5, to_train=3, to_recruit=2, online_only=True,
                       latest_start=None, budget_per_participant=None, consequence="",
                       level="", round=None)
    html = business_client.get(reverse("needs:need_detail", kwargs={"pk": need.pk}),
                               HTTP_ACCEPT_LANGUAGE="en").content.decode()
    summary = html.split('<dl class="need-summary">')[1].split("</dl>")[0]
    assert "<dd>Saw &lt;b&gt;&amp;&lt;/b&gt; &quot;safe&quot;<br>line two</dd>" in summary
    assert "<dd>5 (3 current staff, 2 to recruit)</dd>" in summary
    assert "<dt>Travel</dt><dd>Online only</dd>" in summary
    assert "<dt>Budget per participant</dt><dd>–</dd>" in summary
    assert "<dt>Level</dt><dd>Don't know</dd>" in summary
    assert "<dt>Time window</dt><dd>from " in summary
    assert "Consequence if unmet" not in summary and "Survey round" not in summary


def test_need_rows_name_areas_and_rounds_from_the_kept_reference_data(business_client,
                                                                      business):
    """"Our needs" reads its needs without joining their area and round: a row still names
    both (an untitled need by its area), and a renamed round or area shows at once."""
    survey_round = SurveyRoundFactory(name="Runde A")
    need = NeedFactory(organisation=business, round=survey_round, title="", participants=7)
    html = business_client.get(reverse("needs:business_home")).content.decode()
    label = need.area.label_nb
    assert f">{label} (7)</a></th>" in html and "<td>Runde A</td>" in html
    survey_round.name = "Runde B"
    survey_round.save()
    need.area.label_nb = "Nytt fagnavn"
    need.area.save()
    html = business_client.get(reverse("needs:business_home")).content.decode()
    assert ">Nytt fagnavn (7)</a></th>" in html and "<td>Runde B</td>" in html
