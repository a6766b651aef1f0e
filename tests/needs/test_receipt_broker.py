"""The receipt goes through the real Celery broker; a dead broker must not lose it."""

import pytest
from django.core import mail

from needs import services
from needs.models import SurveyResponse
from portal.celery import app
from tests.celery_worker import reset_pool as _reset_pool
from tests.factories import SurveyRoundFactory
from tests.needs.test_services import need_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_broker():
    """Celery publishing for real (not eager) to the broker URL the test sets."""
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved
    _reset_pool()


def _submit(business, user, callbacks):
    response = services.survey_response_start(organisation=business, round=SurveyRoundFactory(),
                                              by=user)
    services.survey_response_save_step(response=response, step=2, data={"overall_need": "some"})
    services.survey_response_save_step(response=response, step=4, data={"consent": "named"})
    services.need_create(organisation=business, data=need_data(), response=response, by=user)
    with callbacks(execute=True):
        return services.survey_response_submit(response=response, by=user)


def test_unreachable_broker_sends_the_receipt_inline(business, business_user, real_broker,
                                                     django_capture_on_commit_callbacks):
    real_broker.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _reset_pool()
    response = _submit(business, business_user, django_capture_on_commit_callbacks)
    assert response.status == SurveyResponse.Status.SUBMITTED
    assert len(mail.outbox) == 1


@pytest.mark.services
def test_receipt_is_queued_on_redis_when_the_broker_is_up(business, business_user, redis_url,
                                                          real_broker,
                                                          django_capture_on_commit_callbacks):
    import redis

    real_broker.conf.broker_url = redis_url
    _reset_pool()
    _submit(business, business_user, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # a worker sends it, not the web request
    import json

    queued = [json.loads(m)["headers"]["task"]
              for m in redis.Redis.from_url(redis_url).lrange("celery", 0, -1)]
    # The receipt, and the matching of the submitted need, wait for a worker.
    assert sorted(queued) == ["matching.tasks.match_need", "needs.tasks.send_survey_receipt"]
