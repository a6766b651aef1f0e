"""Every e-mail: a Celery task queued on commit, absolute links, the recipient's language,
retried on SMTP errors, and the change it reports is kept when sending fails."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from matching import services as matching_services
from matching.models import Match
from needs import services as needs_services
from needs.models import SurveyResponse
from portal.celery import enqueue_on_commit
from portal.mail import absolute_url
from tests import factories
from tests.needs.test_services import need_data

pytestmark = pytest.mark.django_db

SITE = "https://kompetanse.example.no"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE + "/"


def _links(body: str) -> list[str]:
    return re.findall(r"\S*/(?:matching|needs)/\S*", body)


def _submit_survey(business, user, callbacks) -> SurveyResponse:
    response = needs_services.survey_response_start(
        organisation=business, round=factories.SurveyRoundFactory(), by=user)
    needs_services.survey_response_save_step(response=response, step=2,
                                             data={"overall_need": "some"})
    needs_services.survey_response_save_step(response=response, step=4,
                                             data={"consent": "anonymous"})
    needs_services.need_create(organisation=business, data=need_data(), response=response, by=user)
    with callbacks(execute=True):
        return needs_services.survey_response_submit(response=response, by=user)


def _propose(match: Match, callbacks) -> None:
    # Who acts does not matter here; a real adviser would also get the need notices by e-mail.
    with callbacks(execute=True):
        matching_services.match_propose(match_id=match.pk, by=factories.UserFactory())


def _send_cohort(provider, callbacks) -> None:
    with callbacks(execute=True):
        matching_services.cohort_send_to_providers(
            cohort_id=factories.CohortFactory().pk, provider_ids=[provider.pk],
            by=factories.UserFactory())


def test_absolute_url_joins_site_url_and_path():
    assert absolute_url("/matching/proposals/") == SITE + "/matching/proposals/"


def test_every_email_links_with_scheme_and_host(business, business_user,
                                                django_capture_on_commit_callbacks):
    _submit_survey(business, business_user, django_capture_on_commit_callbacks)
    _propose(factories.MatchFactory(status=Match.Status.APPROVED),
             django_capture_on_commit_callbacks)
    _send_cohort(factories.ProviderFactory(), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    expected = [SITE + "/needs/", SITE + "/matching/proposals/",
                SITE + "/matching/cohort-requests/"]
    for message, start in zip(mail.outbox, expected, strict=True):
        links = _links(message.body)
        assert links, message.body
        assert all(link.startswith(start) for link in links), links


@pytest.mark.parametrize(("language", "proposal", "cohort", "receipt"), [
    ("nn", "Nytt kursframlegg", "Samla etterspurnad", "Kvittering: svaret dykkar"),
    ("en", "New course proposal", "Pooled demand", "Receipt: your answer"),
    ("", "Nytt kursforslag", "Samlet etterspørsel", "Kvittering: svaret deres"),
])
def test_emails_are_written_in_the_recipients_language(
        language, proposal, cohort, receipt, django_capture_on_commit_callbacks):
    business = factories.BusinessFactory(contact_email="")
    member = factories.member_of(business, language=language)
    provider = factories.ProviderFactory(contact_email="")
    factories.member_of(provider, language=language)
    match = factories.MatchFactory(status=Match.Status.APPROVED,
                                   need=factories.NeedFactory(organisation=business))
    _propose(match, django_capture_on_commit_callbacks)
    _send_cohort(provider, django_capture_on_commit_callbacks)
    _submit_survey(business, member, django_capture_on_commit_callbacks)
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith(proposal) and subjects[1].startswith(cohort)
    assert subjects[2].startswith(receipt)


def test_two_recipients_with_different_languages_each_get_their_own(
        django_capture_on_commit_callbacks):
    business = factories.BusinessFactory(contact_email="")
    factories.member_of(business, email="nynorsk@example.no", language="nn")
    factories.member_of(business, email="english@example.no", language="en")
    match = factories.MatchFactory(status=Match.Status.APPROVED,
                                   need=factories.NeedFactory(organisation=business))
    _propose(match, django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m.subject for m in mail.outbox}
    assert by_address["nynorsk@example.no"].startswith("Nytt kursframlegg")
    assert by_address["english@example.no"].startswith("New course proposal")


def test_the_email_is_queued_as_a_celery_task_after_commit(monkeypatch,
                                                           django_capture_on_commit_callbacks):
    from matching import tasks

    queued = []
    monkeypatch.setattr(tasks.send_proposal_email, "apply_async",
                        lambda args, kwargs: queued.append(args))
    match = factories.MatchFactory(status=Match.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        matching_services.match_propose(match_id=match.pk, by=factories.UserFactory())
    assert queued == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert queued == [(match.pk,)]


def test_a_rolled_back_change_queues_nothing(django_capture_on_commit_callbacks):
    from matching import tasks

    match = factories.MatchFactory(status=Match.Status.APPROVED)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        enqueue_on_commit(tasks.send_proposal_email, match.pk)
        raise RuntimeError("the request failed")
    assert callbacks == [] and mail.outbox == []


def test_an_smtp_error_is_retried(monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from matching import tasks

    real_send = EmailBackend.send_messages
    attempts = []

    def flaky(self, messages):
        attempts.append(1)
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    match = factories.MatchFactory(status=Match.Status.PROPOSED)
    # As a worker runs it (apply() runs the retry at once instead of after the backoff).
    result = tasks.send_proposal_email.apply(args=[match.pk], throw=False)
    assert result.get() == 1
    assert len(attempts) == 2 and len(mail.outbox) == 1
    assert tasks.send_proposal_email.acks_late


def test_a_mail_outage_keeps_the_change_it_reports(monkeypatch, client, adviser_user,
                                                   django_capture_on_commit_callbacks):
    from django.core.mail.backends.locmem import EmailBackend
    from django.urls import reverse

    def down(self, messages):
        raise smtplib.SMTPConnectError(421, "try later")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    match = factories.MatchFactory(status=Match.Status.APPROVED)
    client.force_login(adviser_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:match_transition", args=[match.pk]),
                               {"action": "propose"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED and mail.outbox == []


def test_an_unknown_language_is_refused(business_user):
    from portal.services import user_language_set

    with pytest.raises(ValidationError):
        user_language_set(user=business_user, language="sv")


def test_production_links_default_to_https_and_the_first_allowed_host(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "kompetanse.example.no,www.example.no",
           "REDIS_URL": "redis://127.0.0.1:6379/0", "SITE_URL": "",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    code = "from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "https://kompetanse.example.no"
