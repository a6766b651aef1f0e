import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from matching import services
from matching.models import Match, MatchEvent
from needs.models import Need
from tests.factories import MatchFactory, adviser

pytestmark = pytest.mark.django_db

S = Match.Status


def _at(status: str) -> Match:
    return MatchFactory(status=status)


def test_approve_moves_suggested_to_approved_and_logs_who_and_when():
    user = adviser()
    match = MatchFactory()
    result = services.match_approve(match_id=match.pk, by=user, note="Ser bra ut")
    assert result.status == S.APPROVED
    event = MatchEvent.objects.get(match=match)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.SUGGESTED, S.APPROVED, user, "Ser bra ut")
    assert event.created_at is not None


def test_full_happy_path_writes_one_event_per_step(django_capture_on_commit_callbacks):
    user = adviser()
    match = MatchFactory()
    services.match_approve(match_id=match.pk, by=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_propose(match_id=match.pk, by=user)
    services.match_accept(match_id=match.pk, by=user)
    services.match_enroll(match_id=match.pk, by=user)
    steps = list(MatchEvent.objects.filter(match=match).values_list("from_status", "to_status"))
    assert steps == [(S.SUGGESTED, S.APPROVED), (S.APPROVED, S.PROPOSED),
                     (S.PROPOSED, S.ACCEPTED), (S.ACCEPTED, S.ENROLLED)]
    match.refresh_from_db()
    assert match.status == S.ENROLLED


def test_accept_puts_the_need_in_brokering():
    match = _at(S.PROPOSED)
    services.match_accept(match_id=match.pk, by=adviser())
    match.need.refresh_from_db()
    assert match.need.status == Need.Status.IN_BROKERING


def test_enroll_marks_the_need_covered():
    match = _at(S.ACCEPTED)
    services.match_enroll(match_id=match.pk, by=adviser())
    match.need.refresh_from_db()
    assert match.need.status == Need.Status.COVERED


def test_decline_requires_a_known_reason_and_stores_it():
    match = _at(S.PROPOSED)
    with pytest.raises(ValidationError):
        services.match_decline(match_id=match.pk, reason="nonsense", by=adviser())
    match.refresh_from_db()
    assert match.status == S.PROPOSED
    services.match_decline(match_id=match.pk, reason="cost", note="For dyrt i år", by=adviser())
    match.refresh_from_db()
    assert match.status == S.DECLINED
    assert match.response_reason == "cost: For dyrt i år"
    assert MatchEvent.objects.get(match=match).note == "For dyrt i år"


def test_accepted_match_can_still_be_declined():
    match = _at(S.ACCEPTED)
    services.match_decline(match_id=match.pk, reason="timing", by=adviser())
    match.refresh_from_db()
    assert match.status == S.DECLINED


def test_dismiss_and_reopen():
    match = MatchFactory()
    services.match_dismiss(match_id=match.pk, by=adviser())
    assert Match.objects.get(pk=match.pk).status == S.DISMISSED
    services.match_reopen(match_id=match.pk, by=adviser())
    assert Match.objects.get(pk=match.pk).status == S.SUGGESTED


def test_approved_match_can_be_reopened_or_dismissed():
    a, b = _at(S.APPROVED), _at(S.APPROVED)
    services.match_reopen(match_id=a.pk, by=adviser())
    services.match_dismiss(match_id=b.pk, by=adviser())
    assert Match.objects.get(pk=a.pk).status == S.SUGGESTED
    assert Match.objects.get(pk=b.pk).status == S.DISMISSED


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (S.SUGGESTED, services.match_propose),
        (S.SUGGESTED, services.match_accept),
        (S.SUGGESTED, services.match_enroll),
        (S.APPROVED, services.match_accept),
        (S.APPROVED, services.match_approve),
        (S.PROPOSED, services.match_approve),
        (S.PROPOSED, services.match_enroll),
        (S.PROPOSED, services.match_dismiss),
        (S.DECLINED, services.match_accept),
        (S.DECLINED, services.match_reopen),
        (S.ENROLLED, services.match_reopen),
        (S.ENROLLED, services.match_dismiss),
        (S.DISMISSED, services.match_approve),
        (S.ACCEPTED, services.match_propose),
    ],
)
def test_illegal_transitions_are_refused_without_history(status, service):
    match = _at(status)
    with pytest.raises(ValidationError):
        service(match_id=match.pk, by=adviser())
    match.refresh_from_db()
    assert match.status == status
    assert not MatchEvent.objects.filter(match=match).exists()


def test_decline_from_suggested_is_refused():
    match = MatchFactory()
    with pytest.raises(ValidationError):
        services.match_decline(match_id=match.pk, reason="cost", by=adviser())


def test_concurrent_double_transition_is_refused(monkeypatch):
    """Two advisers load the same suggested match; the second UPDATE changes no row."""
    match = MatchFactory()
    real_filter = Match.objects.filter
    raced = {"done": False}

    def filter_with_race(*args, **kwargs):
        # Just before this request claims the row, another adviser approves it.
        if "status" in kwargs and not raced["done"]:
            raced["done"] = True
            real_filter(pk=match.pk).update(status=S.APPROVED)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Match.objects, "filter", filter_with_race)
    with pytest.raises(ValidationError) as excinfo:
        services.match_approve(match_id=match.pk, by=adviser())
    assert excinfo.value.code == "concurrent_change"
    monkeypatch.undo()
    assert not MatchEvent.objects.filter(match=match).exists()


def test_second_sequential_approve_is_refused():
    match = MatchFactory()
    services.match_approve(match_id=match.pk, by=adviser())
    with pytest.raises(ValidationError):
        services.match_approve(match_id=match.pk, by=adviser())
    assert MatchEvent.objects.filter(match=match).count() == 1


def test_propose_emails_the_business_after_commit(django_capture_on_commit_callbacks):
    match = _at(S.APPROVED)
    org = match.need.organisation
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.match_propose(match_id=match.pk, by=adviser())
    assert len(mail.outbox) == 0  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org.contact_email]
    assert match.offer.title in message.subject
    assert "/matching/proposals/" in message.body


def test_failed_propose_sends_no_email(django_capture_on_commit_callbacks):
    match = MatchFactory()  # suggested: proposing directly is illegal
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.match_propose(match_id=match.pk, by=adviser())
    assert mail.outbox == []


def test_adviser_note_is_saved():
    match = MatchFactory()
    services.match_set_note(match_id=match.pk, note="  Ring dagleg leiar  ")
    assert Match.objects.get(pk=match.pk).adviser_note == "Ring dagleg leiar"


def test_available_actions_follow_the_transition_table():
    assert services.available_actions(MatchFactory()) == ["approve", "dismiss"]
    assert services.available_actions(_at(S.APPROVED)) == ["propose", "dismiss", "reopen"]
    assert services.available_actions(_at(S.ENROLLED)) == []
