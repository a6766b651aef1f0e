import datetime

import pytest
from django.core import mail
from django.urls import reverse

from needs.models import Need, SurveyResponse
from tests import factories
from tests.factories import SurveyRoundFactory

pytestmark = pytest.mark.django_db


def step_url(response, step):
    return reverse("needs:survey_step", kwargs={"rid": response.pk, "step": step})


def need_post(**overrides):
    data = {
        "area": factories.area("skog.motorsag").pk, "title": "Motorsagkurs",
        "description": "Felling", "participants": "4", "to_train": "3", "to_recruit": "1",
        "level": "course", "formats": ["local", "workplace"], "earliest_start": "2027-03-01",
        "latest_start": "2027-05-01", "max_travel_km": "60", "budget_per_participant": "5000",
        "priority": "high", "consequence": "safety_risk", "willing_to_share": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def started(business_client, business):
    SurveyRoundFactory()
    response = business_client.post(reverse("needs:survey_start"))
    survey = SurveyResponse.objects.get(organisation=business)
    assert response.status_code == 302 and response.url == step_url(survey, 1)
    return survey


def test_start_page_shows_the_open_round(business_client):
    survey_round = SurveyRoundFactory(name="Kompetansekartlegging 2027")
    page = business_client.get(reverse("needs:survey_start"))
    assert page.status_code == 200 and survey_round.name in page.content.decode()


def test_step_1_writes_the_profile_to_the_organisation(business_client, business, started):
    page = business_client.get(step_url(started, 1))
    html = page.content.decode()
    assert 'aria-current="step"' in html and 'data-step="1"' in html
    response = business_client.post(step_url(started, 1), {
        "industry_code": "02.200", "employees": "14",
        "municipality": factories.municipality("4036").pk, "contact_name": "Ola Nordmann",
        "contact_email": "ola@example.no", "contact_phone": "", "action": "next"})
    assert response.status_code == 302 and response.url == step_url(started, 2)
    business.refresh_from_db()
    assert business.employees == 14 and business.municipality.code == "4036"
    assert business.contact_name == "Ola Nordmann"


def test_step_1_rejects_a_bad_industry_code(business_client, started):
    page = business_client.post(step_url(started, 1), {
        "industry_code": "skog", "employees": "14",
        "municipality": factories.municipality("4036").pk, "contact_name": "Ola"})
    assert page.status_code == 200
    assert "industry_code" in page.context["form"].errors
    assert 'aria-invalid="true"' in page.content.decode()


def test_step_2_saves_the_overall_picture_and_back_keeps_it(business_client, started):
    response = business_client.post(step_url(started, 2), {
        "overall_need": "large", "measures": ["train_staff", "hire_in"],
        "barriers": ["distance"], "action": "back"})
    assert response.url == step_url(started, 1)
    started.refresh_from_db()
    assert started.overall_need == "large" and started.measures == ["train_staff", "hire_in"]
    page = business_client.get(step_url(started, 2))
    assert page.context["form"].initial["overall_need"] == "large"


def test_step_3_add_need_and_edit_it(business_client, business, started):
    response = business_client.post(step_url(started, 3), {"action": "add"})
    assert response.url == reverse("needs:survey_need_add", kwargs={"rid": started.pk})
    response = business_client.post(response.url, need_post())
    assert response.status_code == 302 and response.url == step_url(started, 3)
    need = started.needs.get()
    assert need.status == Need.Status.DRAFT and need.formats == ["local", "workplace"]
    edit = reverse("needs:survey_need_edit", kwargs={"rid": started.pk, "pk": need.pk})
    business_client.post(edit, need_post(participants="2", to_train="2", to_recruit="0"))
    need.refresh_from_db()
    assert need.participants == 2
    page = business_client.get(step_url(started, 3))
    html = page.content.decode()
    assert f'data-need="{need.pk}"' in html, html[html.find("<main"):html.find("</main>")]


def test_step_3_remove_a_draft(business_client, started):
    business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                         need_post())
    need = started.needs.get()
    business_client.post(reverse("needs:survey_need_delete",
                                 kwargs={"rid": started.pk, "pk": need.pk}))
    assert not Need.objects.filter(pk=need.pk).exists()


def test_step_4_consent(business_client, started):
    response = business_client.post(step_url(started, 4), {"consent": "named"})
    assert response.url == step_url(started, 5)
    started.refresh_from_db()
    assert started.consent == SurveyResponse.Consent.NAMED


def test_step_4_rejects_an_unknown_consent(business_client, started):
    page = business_client.post(step_url(started, 4), {"consent": "everything"})
    assert "consent" in page.context["form"].errors


def test_step_5_submits_everything(business_client, business, started,
                                   django_capture_on_commit_callbacks):
    business_client.post(step_url(started, 2), {"overall_need": "some"})
    business_client.post(step_url(started, 4), {"consent": "anonymous"})
    business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                         need_post())
    with django_capture_on_commit_callbacks(execute=True):
        response = business_client.post(step_url(started, 5), {"action": "submit"})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == SurveyResponse.Status.SUBMITTED
    assert started.needs.get().status == Need.Status.SUBMITTED
    assert len(mail.outbox) == 1


def test_step_5_refuses_when_a_need_is_missing(business_client, started):
    business_client.post(step_url(started, 2), {"overall_need": "large"})
    page = business_client.post(step_url(started, 5), {"action": "submit"})
    assert page.status_code == 400
    started.refresh_from_db()
    assert started.status == SurveyResponse.Status.DRAFT


def test_leaving_and_coming_back_resumes_the_draft(business_client, business, started):
    business_client.post(step_url(started, 2), {"overall_need": "some"})
    business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                         need_post())
    home = business_client.get(reverse("needs:business_home"))
    assert step_url(started, 3) in home.content.decode()  # "continue" goes to the last step
    response = business_client.post(reverse("needs:survey_start"))
    assert response.url == step_url(started, 3)
    assert SurveyResponse.objects.filter(organisation=business).count() == 1


def test_earlier_needs_are_asked_about_and_the_answer_stored(business_client, business,
                                                            business_user):
    old_round = SurveyRoundFactory(opens_on=datetime.date(2025, 1, 1),
                                   closes_on=datetime.date(2025, 3, 1))
    old_response = SurveyResponse.objects.create(
        organisation=business, round=old_round, status="submitted", overall_need="some",
        submitted_at="2025-02-01T10:00:00Z")
    old_need = factories.NeedFactory(organisation=business, round=old_round,
                                     response=old_response)
    offer = factories.OfferFactory()
    SurveyRoundFactory()
    business_client.post(reverse("needs:survey_start"))
    survey = SurveyResponse.objects.get(organisation=business, status="draft")
    page = business_client.get(step_url(survey, 3))
    assert f'data-earlier-need="{old_need.pk}"' in page.content.decode()
    prefix = f"need-{old_need.pk}"
    business_client.post(step_url(survey, 3), {
        f"{prefix}-outcome": "partly", f"{prefix}-offer": str(offer.pk),
        f"{prefix}-note": "Halvparten fikk kurs"})
    old_need.refresh_from_db()
    assert old_need.outcome == Need.Outcome.PARTLY and old_need.outcome_offer == offer



def test_earlier_needs_offer_list_shows_a_catalogue_change_at_once(business_client, business):
    """The "which course?" lists are kept per process between visits: a new, renamed or
    withdrawn offer must still show on the very next visit."""
    old_round = SurveyRoundFactory(opens_on=datetime.date(2025, 1, 1),
                                   closes_on=datetime.date(2025, 3, 1))
    old_need = factories.NeedFactory(organisation=business, round=old_round)
    kept = factories.OfferFactory(title="Motorsag for viderekomne")
    SurveyRoundFactory()
    business_client.post(reverse("needs:survey_start"))
    survey = SurveyResponse.objects.get(organisation=business, status="draft")
    factories.NeedFactory(organisation=business, response=survey, round=survey.round,
                          previous=old_need, status=Need.Status.DRAFT)
    def offer_select(page):
        return page.split(f'name="need-{old_need.pk}-offer"')[1].split("</select>")[0]

    page = business_client.get(step_url(survey, 3)).content.decode()
    assert f'data-earlier-need="{old_need.pk}"' in page and "Motorsag for viderekomne" in page
    assert '<option value="" selected>' in offer_select(page)
    # The same list again, now with a course chosen: only that one is marked.
    old_need.outcome_offer = kept
    old_need.save()
    page = business_client.get(step_url(survey, 3)).content.decode()
    assert f'<option value="{kept.pk}" selected>' in page
    assert offer_select(page).count(" selected>") == 1
    old_need.outcome_offer = None
    old_need.save()

    added = factories.OfferFactory(title="Skogsarbeid og felling")
    kept.provider.name = "Nytt kursnavn AS"
    kept.provider.save()
    page = business_client.get(step_url(survey, 3)).content.decode()
    assert f'<option value="{added.pk}">Skogsarbeid og felling' in page
    assert "Motorsag for viderekomne – Nytt kursnavn AS" in page

    added.status = "archived"
    added.save()
    page = business_client.get(step_url(survey, 3)).content.decode()
    assert "Skogsarbeid og felling" not in page
    # The offer recorded for the need stays listed even when it is no longer published.
    old_need.outcome_offer = added
    old_need.save()
    page = business_client.get(step_url(survey, 3)).content.decode()
    assert f'<option value="{added.pk}" selected>Skogsarbeid og felling' in page
    assert offer_select(page).count(" selected>") == 1

# --- every validation rule of a need -----------------------------------------------------


@pytest.mark.parametrize(("overrides", "field"), [
    ({"participants": "0"}, "participants"),
    ({"participants": "13", "to_train": "", "to_recruit": ""}, "participants"),
    ({"earliest_start": "2027-06-01", "latest_start": "2027-05-01"}, "latest_start"),
    ({"to_train": "4", "to_recruit": "2"}, "to_train"),
    ({"budget_per_participant": "-1"}, "budget_per_participant"),
    ({"max_travel_km": "-5"}, "max_travel_km"),
    ({"formats": []}, "formats"),
    ({"level": "phd"}, "level"),
    ({"area": "999999"}, "area"),
    ({"online_only": "on", "formats": ["local"]}, "formats"),
])
def test_need_form_refuses_bad_values(business_client, overrides, field):
    page = business_client.post(reverse("needs:need_create"), need_post(**overrides))
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert not Need.objects.exists()


def test_recruits_do_not_count_against_employees(business_client, business):
    # 12 employees; 14 participants of whom 4 are new hires is fine.
    response = business_client.post(reverse("needs:need_create"),
                                    need_post(participants="14", to_train="10", to_recruit="4"))
    assert response.status_code == 302
    assert Need.objects.get().participants == 14


def test_online_only_clears_travel_distance(business_client):
    business_client.post(reverse("needs:need_create"),
                         need_post(online_only="on", formats=["online"], action="submit"))
    need = Need.objects.get()
    assert need.online_only and need.max_travel_km is None
    assert need.status == Need.Status.SUBMITTED


def test_area_picker_works_without_javascript(business_client):
    """The survey's area picker is the offer form's (portal.widgets.AreaPicker), as radio
    buttons: every area is a plain input in the page; the search box is for scripts only."""
    page = business_client.get(reverse("needs:need_create"))
    html = page.content.decode()
    motorsag = factories.area("skog.motorsag")
    assert "data-area-picker" in html and f'id="id_area_{motorsag.pk}"' in html
    assert html.count('type="radio" name="area"') > 20
    assert 'type="checkbox" name="area"' not in html
    assert '<div class="field" hidden data-js-only>' in html


def test_review_step_lists_the_needs_and_a_submitted_answer_shows_the_receipt_page(
        business_client, started):
    business_client.post(step_url(started, 2), {"overall_need": "some"})
    business_client.post(step_url(started, 4), {"consent": "anonymous"})
    business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                         need_post(title="Felling i bratt terreng"))
    page = business_client.get(step_url(started, 5))
    assert "Felling i bratt terreng" in page.content.decode()
    business_client.post(step_url(started, 5), {"action": "submit"})
    done = business_client.get(step_url(started, 2))
    assert done.status_code == 200
    assert "needs/survey_done.html" in [t.name for t in done.templates]
    # A submitted answer can no longer be changed through the steps.
    business_client.post(step_url(started, 2), {"overall_need": "none"})
    started.refresh_from_db()
    assert started.overall_need == "some"


def test_unknown_step_is_404(business_client, started):
    assert business_client.get(step_url(started, 6)).status_code == 404


def test_jumping_through_the_progress_bar_saves_the_current_step(business_client, started):
    business_client.post(step_url(started, 1), {
        "industry_code": "02.200", "employees": "14",
        "municipality": factories.municipality("4036").pk, "contact_name": "Ola"})
    business_client.post(step_url(started, 2), {"overall_need": "some"})
    page = business_client.get(step_url(started, 3))
    assert 'value="goto-1"' in page.content.decode()
    response = business_client.post(step_url(started, 4), {"consent": "anonymous",
                                                           "action": "goto-1"})
    assert response.url == step_url(started, 1)
    started.refresh_from_db()
    assert started.consent == "anonymous"
    # Any step already reached can be jumped to, saving on the way.
    response = business_client.post(step_url(started, 1), {
        "industry_code": "02.200", "employees": "14",
        "municipality": factories.municipality("4036").pk, "contact_name": "Ola",
        "action": "goto-5"})
    assert response.url == step_url(started, 5)


def test_inputs_written_in_python_match_djangos_own_templates():
    """needs.forms' TextInput, NumberInput and EmailInput skip the widget templates: their
    markup must stay what Django's templates write, attribute for attribute."""
    from django import forms as django_forms

    from needs.forms import EmailInput, NumberInput, TextInput

    cases = [
        (TextInput, django_forms.TextInput, 'A "quoted" <b> & \'x\'',
         {"maxlength": 200, "required": True, "disabled": True, "hidden": False,
          "aria-describedby": "id_f_helptext"}),
        (NumberInput, django_forms.NumberInput, 5, {"min": 0}),
        (EmailInput, django_forms.EmailInput, None, {"autocomplete": "email"}),
        (TextInput, django_forms.TextInput, "", {}),
    ]
    for mine, django_widget, value, attrs in cases:
        assert mine(attrs).render("f", value, {"id": "id_f"}) == \
            django_widget(attrs).render("f", value, {"id": "id_f"})


def test_plain_member_sees_the_contact_fields_locked(client, business, started):
    """Only administrators change who the contact is (step 1): a plain member's contact
    inputs are disabled, the others are not."""
    from portal.models import Membership

    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organisation=business, role=Membership.Role.MEMBER)
    client.force_login(member)
    html = client.get(step_url(started, 1)).content.decode()
    contact = html.split('name="contact_name"')[1].split(">")[0]
    employees = html.split('name="employees"')[1].split(">")[0]
    assert " disabled" in contact and " disabled" not in employees


def test_kept_step_fields_follow_each_answer_and_who_reads_them(client, business_client,
                                                                business, started):
    """Steps 1, 2 and 4 write their unbound fields once per process: the admin's and a plain
    member's step 1 differ, a saved answer and a renamed municipality show at once."""
    from portal.models import Membership

    place = factories.municipality("4036")
    business_client.post(step_url(started, 1), {
        "industry_code": "02.200", "employees": "14", "municipality": place.pk,
        "contact_name": "Ola", "action": "next"})
    admin_page = business_client.get(step_url(started, 1)).content.decode()
    assert 'name="contact_name"' in admin_page
    assert " disabled" not in admin_page.split('name="contact_name"')[1].split(">")[0]
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organisation=business, role=Membership.Role.MEMBER)
    client.force_login(member)
    member_page = client.get(step_url(started, 1)).content.decode()
    assert " disabled" in member_page.split('name="contact_name"')[1].split(">")[0]
    place.name = "Nytt stedsnavn"
    place.save()
    assert "Nytt stedsnavn" in business_client.get(step_url(started, 1)).content.decode()

    before = business_client.get(step_url(started, 2)).content.decode()
    assert "checked" not in before.split('name="overall_need" value="large"')[1].split(">")[0]
    business_client.post(step_url(started, 2), {"overall_need": "large", "action": "next"})
    page = business_client.get(step_url(started, 2)).content.decode()
    assert 'name="overall_need" value="large"' in page
    checked = page.split('name="overall_need" value="large"')[1].split(">")[0]
    assert "checked" in checked

    business_client.post(step_url(started, 4), {"consent": "named", "action": "next"})
    page = business_client.get(step_url(started, 4)).content.decode()
    assert "checked" in page.split('name="consent" value="named"')[1].split(">")[0]


def test_a_new_round_is_the_current_one_at_once(business_client):
    """The open round is kept per process; saving a round shows at once."""
    old = SurveyRoundFactory(name="Runde en")
    assert "Runde en" in business_client.get(reverse("needs:survey_start")).content.decode()
    newer = SurveyRoundFactory(name="Runde to", opens_on=old.opens_on + datetime.timedelta(days=1))
    assert "Runde to" in business_client.get(reverse("needs:survey_start")).content.decode()
    newer.delete()
    assert "Runde en" in business_client.get(reverse("needs:survey_start")).content.decode()


def test_two_earlier_needs_share_kept_fields_under_their_own_names(business_client, business):
    """Step 3 writes an earlier need's unbound fields once for every need with the same
    answer and courses: each need still gets its own names and ids, and a stored answer
    shows on the next visit."""
    old_round = SurveyRoundFactory(opens_on=datetime.date(2025, 1, 1),
                                   closes_on=datetime.date(2025, 3, 1))
    first = factories.NeedFactory(organisation=business, round=old_round, title="Første")
    second = factories.NeedFactory(organisation=business, round=old_round, title="Andre")
    SurveyRoundFactory()
    business_client.post(reverse("needs:survey_start"))
    survey = SurveyResponse.objects.get(organisation=business, status="draft")
    for old in (first, second):
        factories.NeedFactory(organisation=business, response=survey, round=survey.round,
                              previous=old, status=Need.Status.DRAFT)
    page = business_client.get(step_url(survey, 3)).content.decode()
    assert "placeholder" not in page
    for old in (first, second):
        block = page.split(f'data-earlier-need="{old.pk}"')[1].split("</section>")[0]
        assert f'name="need-{old.pk}-outcome" value="met" id="id_need-{old.pk}-outcome_0"' \
            in block
        assert f'<select name="need-{old.pk}-offer" id="id_need-{old.pk}-offer">' in block
        assert f'<label for="id_need-{old.pk}-note">' in block
    business_client.post(step_url(survey, 3), {
        f"need-{first.pk}-outcome": "met", f"need-{first.pk}-note": "Alle fikk kurs",
        "action": "back"})
    page = business_client.get(step_url(survey, 3)).content.decode()
    first_block = page.split(f'data-earlier-need="{first.pk}"')[1].split("data-earlier")[0]
    second_block = page.split(f'data-earlier-need="{second.pk}"')[1].split("</section>")[0]
    assert f'value="met" id="id_need-{first.pk}-outcome_0" checked' in first_block
    assert 'value="Alle fikk kurs"' in first_block
    assert "checked" not in second_block


def test_a_renamed_round_shows_at_once_on_the_steps(business_client, started):
    """A step names the response's round from the kept rounds, not a join."""
    assert started.round.name in business_client.get(step_url(started, 2)).content.decode()
    started.round.name = "Omdøpt runde"
    started.round.save()
    assert "Omdøpt runde" in business_client.get(step_url(started, 2)).content.decode()


def test_review_and_needs_steps_show_a_renamed_area_at_once(business_client, business,
                                                             started):
    """Steps 3 and 5 take their needs' areas and rounds from the kept reference data."""
    need = factories.NeedFactory(organisation=business, response=started, round=started.round,
                                 status=Need.Status.DRAFT, title="")
    for step in (3, 5):
        assert need.area.label_nb in business_client.get(step_url(started, step)).content.decode()
    need.area.label_nb = "Omdøpt fagområde"
    need.area.save()
    for step in (3, 5):
        assert "Omdøpt fagområde" in business_client.get(step_url(started, step)).content.decode()
