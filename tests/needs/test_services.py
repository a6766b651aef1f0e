import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from kombu.exceptions import OperationalError

from needs import services, signals
from needs.models import Need, SurveyResponse
from tests import factories
from tests.factories import NeedFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls: list[tuple[str, int]] = []

    def make(name):
        def receiver(sender, need_id, **kwargs):
            calls.append((name, need_id))
        return receiver

    receivers = {name: make(name) for name in ("submitted", "changed", "withdrawn")}
    signals.need_submitted.connect(receivers["submitted"], weak=False)
    signals.need_changed.connect(receivers["changed"], weak=False)
    signals.need_withdrawn.connect(receivers["withdrawn"], weak=False)
    yield calls
    signals.need_submitted.disconnect(receivers["submitted"])
    signals.need_changed.disconnect(receivers["changed"])
    signals.need_withdrawn.disconnect(receivers["withdrawn"])


def need_data(**overrides):
    data = {
        "area": factories.area("skog.motorsag"), "title": "Motorsag", "description": "",
        "participants": 3, "to_train": 3, "to_recruit": 0, "level": "course",
        "formats": ["local"], "earliest_start": datetime.date(2027, 3, 1),
        "latest_start": datetime.date(2027, 5, 1), "max_travel_km": 50, "online_only": False,
        "budget_per_participant": 5000, "priority": "high", "consequence": "safety_risk",
        "willing_to_share": True,
    }
    data.update(overrides)
    return data


def test_need_create_outside_a_round_is_tagged_with_the_open_round(business):
    survey_round = SurveyRoundFactory()
    need = services.need_create(organisation=business, data=need_data(),
                                by=factories.member_of(business))
    assert need.round == survey_round
    assert need.status == Need.Status.DRAFT


def test_need_create_without_any_open_round_has_no_round(business):
    SurveyRoundFactory(opens_on=datetime.date(2020, 1, 1), closes_on=datetime.date(2020, 2, 1))
    need = services.need_create(organisation=business, data=need_data(),
                                by=factories.member_of(business))
    assert need.round is None


def test_submitting_sends_need_submitted(business, received):
    need = services.need_create(organisation=business, data=need_data(),
                                by=factories.member_of(business))
    services.need_submit(need=need, by=factories.UserFactory())
    need.refresh_from_db()
    assert need.status == Need.Status.SUBMITTED and need.submitted_at
    assert received == [("submitted", need.pk)]


def test_editing_a_submitted_need_sends_need_changed(received):
    need = NeedFactory()
    services.need_update(need=need, data={"participants": 2}, by=factories.UserFactory())
    assert received == [("changed", need.pk)]


def test_editing_a_draft_sends_nothing(received):
    need = NeedFactory(status=Need.Status.DRAFT)
    services.need_update(need=need, data={"participants": 2}, by=factories.UserFactory())
    assert received == []


def test_withdrawing_sends_need_withdrawn(received):
    need = NeedFactory()
    services.need_withdraw(need=need)
    need.refresh_from_db()
    assert need.status == Need.Status.WITHDRAWN
    assert received == [("withdrawn", need.pk)]


def test_a_withdrawn_need_cannot_be_edited_or_withdrawn_again():
    need = NeedFactory(status=Need.Status.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.need_update(need=need, data={"participants": 2}, by=factories.UserFactory())
    with pytest.raises(ValidationError):
        services.need_withdraw(need=need)


def test_service_refuses_participants_above_employees(business):
    business.employees = 5
    business.save()
    with pytest.raises(ValidationError) as exc:
        services.need_create(organisation=business, data=need_data(participants=6, to_train=6),
                             by=factories.member_of(business))
    assert "participants" in exc.value.message_dict


def test_matching_hooks_respect_transitions():
    need = NeedFactory()
    offer = factories.OfferFactory()
    services.need_mark_in_brokering(need_id=need.pk)
    services.need_mark_in_brokering(need_id=need.pk)  # idempotent
    services.need_mark_covered(need_id=need.pk, offer_id=offer.pk, by=factories.UserFactory())
    need.refresh_from_db()
    assert need.status == Need.Status.COVERED
    assert need.outcome_offer_id == offer.pk
    draft = NeedFactory(status=Need.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.need_mark_covered(need_id=draft.pk, by=factories.UserFactory())


def test_round_open_and_close():
    survey_round = SurveyRoundFactory(opens_on=datetime.date(2020, 1, 1),
                                      closes_on=datetime.date(2020, 2, 1))
    assert not survey_round.is_open
    assert services.survey_round_open(round_id=survey_round.pk).is_open
    assert not services.survey_round_close(round_id=survey_round.pk).is_open


def test_round_cannot_close_before_it_opens():
    with pytest.raises(ValidationError):
        services.survey_round_create(name="X", opens_on=datetime.date(2027, 2, 1),
                                     closes_on=datetime.date(2027, 1, 1), by=factories.adviser())


def _submitted_response(business, survey_round, user):
    response = services.survey_response_start(organisation=business, round=survey_round, by=user)
    services.survey_response_save_step(response=response, step=2,
                                       data={"overall_need": "some", "measures": ["train_staff"],
                                             "barriers": ["cost"]})
    services.survey_response_save_step(response=response, step=4, data={"consent": "named"})
    services.need_create(organisation=business, data=need_data(), response=response, by=user)
    return services.survey_response_submit(response=response, by=user)


def test_survey_submit_submits_needs_and_sends_receipt(business, business_user, received,
                                                       django_capture_on_commit_callbacks):
    survey_round = SurveyRoundFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = _submitted_response(business, survey_round, business_user)
    assert response.status == SurveyResponse.Status.SUBMITTED
    need = response.needs.get()
    assert need.status == Need.Status.SUBMITTED
    assert received == [("submitted", need.pk)]
    assert len(mail.outbox) == 1
    assert business_user.email in mail.outbox[0].to
    assert "Motorsag" in mail.outbox[0].body


def test_receipt_is_sent_inline_when_the_broker_is_down(business, business_user, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    from needs import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.send_survey_receipt, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submitted_response(business, SurveyRoundFactory(), business_user)
    assert response.status == SurveyResponse.Status.SUBMITTED
    assert len(mail.outbox) == 1


def test_rollback_queues_no_receipt(business, business_user, django_capture_on_commit_callbacks):
    survey_round = SurveyRoundFactory()
    response = services.survey_response_start(organisation=business, round=survey_round,
                                              by=business_user)
    services.survey_response_save_step(response=response, step=2, data={"overall_need": "large"})
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(ValidationError)):
        services.survey_response_submit(response=response, by=business_user)
    assert callbacks == [] and mail.outbox == []


def test_new_round_starts_from_last_rounds_answers(business, business_user):
    old_round = SurveyRoundFactory(opens_on=datetime.date(2025, 1, 1),
                                   closes_on=datetime.date(2025, 3, 1))
    old = _submitted_response(business, old_round, business_user)
    old_need = old.needs.get()
    new_round = SurveyRoundFactory()
    response = services.survey_response_start(organisation=business, round=new_round,
                                              by=business_user)
    assert response.overall_need == "some"
    assert response.measures == ["train_staff"]
    copy = response.needs.get()
    assert copy.status == Need.Status.DRAFT
    assert copy.previous == old_need
    assert copy.area == old_need.area and copy.participants == old_need.participants
    # Starting again resumes the same draft instead of copying twice.
    again = services.survey_response_start(organisation=business, round=new_round, by=business_user)
    assert again.pk == response.pk and again.needs.count() == 1
