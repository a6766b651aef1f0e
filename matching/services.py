"""The adviser's and the business's work on a match: status changes with a history.

Every status change goes through `_transition`, which
- checks the move against `Match.TRANSITIONS` (written once, next to the model),
- claims the row with a conditional `filter(pk=…, status=old).update(...)`: if two advisers press
  "propose" at the same moment only one UPDATE changes a row, the other gets a ValidationError
  instead of a second history line or a second e-mail,
- writes a `MatchEvent` (who, from → to, note, when) in the same transaction.

Side effects on the need live in the needs app (`needs.services`): accepting puts the need in
brokering, enrolling marks it covered. Proposing e-mails the business after commit, so a rollback
never sends a message about a proposal that does not exist (the e-mails are Celery tasks,
queued with `enqueue_on_commit`; their text is in `matching/emails.py`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from needs.services import need_mark_covered, need_mark_in_brokering
from portal.celery import enqueue_on_commit
from portal.models import Organisation, User

from . import notices, tasks
from .models import Cohort, CohortRequest, Match, MatchEvent, MatchingSettings
from .webhooks import cohort_request_event, match_event

Status = Match.Status

# Reasons a business can give when it declines a proposal (stored as the code + free text).
DECLINE_REASONS: list[tuple[str, Any]] = [
    ("timing", _("The time does not suit us")),
    ("cost", _("Too expensive")),
    ("distance", _("Too far away")),
    ("content", _("The content does not fit our need")),
    ("level", _("Wrong level")),
    ("other_offer", _("We found another offer")),
    ("no_longer", _("We no longer have this need")),
    ("other", _("Other reason")),
]
DECLINE_REASON_CODES = {code for code, _label in DECLINE_REASONS}


def _transition(
    *,
    match_id: int,
    to_status: str,
    by: User,
    note: str = "",
    expected_from: set[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[Match, str]:
    """Move a match to `to_status` and log it. Returns the fresh match and the old status."""
    with transaction.atomic():
        match = Match.objects.filter(pk=match_id).first()
        if match is None:
            raise ValidationError(gettext("This match no longer exists."), code="missing")
        old = match.status
        if not match.can_move_to(to_status) or (expected_from and old not in expected_from):
            raise ValidationError(
                gettext("A match with status “%(old)s” cannot be changed to “%(new)s”.")
                % {"old": Status(old).label, "new": Status(to_status).label},
                code="illegal_transition",
            )
        fields: dict[str, Any] = {"status": to_status, "updated_at": timezone.now()}
        fields.update(extra or {})
        # The claim: only one of two concurrent requests sees the old status and wins.
        changed = Match.objects.filter(pk=match_id, status=old).update(**fields)
        if changed != 1:
            raise ValidationError(
                gettext("Someone else changed this match a moment ago. Reload and try again."),
                code="concurrent_change",
            )
        MatchEvent.objects.create(
            match_id=match_id, from_status=old, to_status=to_status, actor=by, note=note
        )
        match.refresh_from_db()
    return match, old


def match_approve(*, match_id: int, by: User, note: str = "") -> Match:
    """An adviser finds the match good: it may now be proposed to the business."""
    return _transition(match_id=match_id, to_status=Status.APPROVED, by=by, note=note)[0]


def match_propose(*, match_id: int, by: User, note: str = "") -> Match:
    """The adviser sends the match to the business, which is told by e-mail after commit.

    Not while the business's organisation number waits for the county's confirmation: anyone
    could have registered it, and a proposal names the business's need to its members."""
    pending = Match.objects.filter(
        pk=match_id, need__organisation__claim=Organisation.Claim.PENDING).exists()
    if pending:
        raise ValidationError(gettext(
            "The business's organisation is not confirmed yet. Confirm it under "
            "“Organisations to confirm” first; the proposal can wait until then."),
            code="claim_pending")
    with transaction.atomic():
        match, _old = _transition(match_id=match_id, to_status=Status.PROPOSED, by=by, note=note)
        match_event("match.proposed", match.pk)
        enqueue_on_commit(tasks.send_proposal_email, match.pk)
    return match


def match_accept(*, match_id: int, by: User, note: str = "") -> Match:
    """The business accepts a proposal: its need goes into brokering."""
    with transaction.atomic():
        match, _old = _transition(match_id=match_id, to_status=Status.ACCEPTED, by=by, note=note)
        need_mark_in_brokering(need_id=match.need_id)
        match_event("match.accepted", match.pk)
        notices.tell_advisers_about_answer(match=match, by=by)
    return match


def match_decline(*, match_id: int, reason: str, by: User, note: str = "") -> Match:
    """The business (or the adviser on its behalf) declines; a reason code is required."""
    if reason not in DECLINE_REASON_CODES:
        raise ValidationError({"reason": gettext("Choose a reason.")}, code="reason")
    note = (note or "").strip()
    stored = f"{reason}: {note}" if note else reason
    with transaction.atomic():
        match = _transition(
            match_id=match_id,
            to_status=Status.DECLINED,
            by=by,
            note=note,
            extra={"response_reason": stored[:300]},
        )[0]
        match_event("match.declined", match.pk)
        notices.tell_advisers_about_answer(match=match, by=by)
    return match


def match_enroll(*, match_id: int, by: User, note: str = "") -> Match:
    """Participants are enrolled on the offer: the need is covered by it."""
    with transaction.atomic():
        match, _old = _transition(match_id=match_id, to_status=Status.ENROLLED, by=by, note=note)
        need_mark_covered(need_id=match.need_id, offer_id=match.offer_id, by=by)
    return match


def match_dismiss(*, match_id: int, by: User, note: str = "") -> Match:
    """The adviser rejects a suggestion; it stays (re-scoring keeps decided matches) but hidden."""
    return _transition(match_id=match_id, to_status=Status.DISMISSED, by=by, note=note)[0]


def match_reopen(*, match_id: int, by: User, note: str = "") -> Match:
    """Back to "suggested" from approved or dismissed."""
    return _transition(match_id=match_id, to_status=Status.SUGGESTED, by=by, note=note)[0]


# Action name (used by forms and URLs) -> service, for the adviser's buttons.
ADVISER_ACTIONS = {
    "approve": (Status.APPROVED, match_approve),
    "propose": (Status.PROPOSED, match_propose),
    "enroll": (Status.ENROLLED, match_enroll),
    "dismiss": (Status.DISMISSED, match_dismiss),
    "reopen": (Status.SUGGESTED, match_reopen),
    "accept": (Status.ACCEPTED, match_accept),
}


# What the adviser can do to many suggestions at once from the queue.
BULK_ACTIONS = ("approve", "dismiss")


def match_bulk_action(
    *, match_ids: list[int], action: str, by: User, note: str = ""
) -> tuple[list[int], list[tuple[int, str]]]:
    """Approves or dismisses several matches, each through the same transition (and history
    line) as one at a time. A match whose status does not allow the move is skipped with the
    reason, never forced. Returns (changed ids, [(skipped id, message)])."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": gettext("Choose approve or dismiss.")}, code="action")
    _to, service = ADVISER_ACTIONS[action]
    changed: list[int] = []
    skipped: list[tuple[int, str]] = []
    for match_id in dict.fromkeys(match_ids):
        try:
            service(match_id=match_id, by=by, note=note)
        except ValidationError as exc:
            skipped.append((match_id, " ".join(exc.messages)))
        else:
            changed.append(match_id)
    return changed, skipped


def available_actions(match: Match) -> list[str]:
    """The adviser's actions allowed from the match's current status, in a fixed order."""
    return [name for name, (to, _fn) in ADVISER_ACTIONS.items() if match.can_move_to(to)]


def match_set_note(*, match_id: int, note: str) -> Match:
    """Advisers keep a free-text note on a match; it never reaches the business."""
    with transaction.atomic():
        updated = Match.objects.filter(pk=match_id).update(
            adviser_note=(note or "").strip(), updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(gettext("This match no longer exists."), code="missing")
        return Match.objects.get(pk=match_id)


# --- cohorts ----------------------------------------------------------------------------------


def cohort_update(*, cohort_id: int, status: str, note: str) -> Cohort:
    """The adviser's status and note; both survive rebuilds (see `cohorts_rebuild`)."""
    if status not in Cohort.Status.values:
        raise ValidationError({"status": gettext("Choose a valid status.")})
    with transaction.atomic():
        updated = Cohort.objects.filter(pk=cohort_id).update(
            status=status, adviser_note=(note or "").strip()
        )
        if not updated:
            raise ValidationError(gettext("This cohort no longer exists."), code="missing")
        return Cohort.objects.get(pk=cohort_id)


def cohort_send_to_providers(
    *, cohort_id: int, provider_ids: list[int], by: User, message: str = ""
) -> list[CohortRequest]:
    """Send a cohort to providers: one request each (re-sending updates the message only)."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().filter(pk=cohort_id).first()
        if cohort is None:
            raise ValidationError(gettext("This cohort no longer exists."), code="missing")
        providers = list(
            Organisation.objects.filter(pk__in=provider_ids, kind=Organisation.Kind.PROVIDER)
            .order_by("pk")
        )
        if not providers:
            raise ValidationError({"providers": gettext("Choose at least one provider.")})
        created: list[CohortRequest] = []
        for provider in providers:
            request, was_created = CohortRequest.objects.get_or_create(
                cohort=cohort, provider=provider,
                defaults={"message": message.strip(), "sent_by": by},
            )
            if was_created:
                created.append(request)
            elif message.strip():
                CohortRequest.objects.filter(pk=request.pk).update(message=message.strip())
        if cohort.status in (Cohort.Status.NEW, Cohort.Status.REVIEWED):
            Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.SENT)
        for request in created:
            cohort_request_event("cohort.shared", request.pk)
        # Providers hear about it only once the requests really exist.
        for request in created:
            enqueue_on_commit(tasks.send_cohort_request_email, request.pk)
    return created


def cohort_request_respond(*, request_id: int, status: str, by: User,
                           response: str = "") -> CohortRequest:
    allowed = {CohortRequest.Status.INTERESTED, CohortRequest.Status.DECLINED}
    if status not in allowed:
        raise ValidationError({"status": gettext("Choose an answer.")})
    with transaction.atomic():
        updated = CohortRequest.objects.filter(pk=request_id).update(
            status=status, response=(response or "").strip(), updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(gettext("This request no longer exists."), code="missing")
        cohort_request_event("cohort.answered", request_id)
        request = CohortRequest.objects.select_related("cohort__area", "provider").get(
            pk=request_id)
        notices.tell_advisers_about_cohort_answer(request=request, by=by)
        return request


def matching_settings_update(*, data: dict[str, Any]) -> MatchingSettings:
    """Store validated weights/thresholds (validation lives in MatchingSettingsForm)."""
    with transaction.atomic():
        row = MatchingSettings.current()
        for name, value in data.items():
            setattr(row, name, value)
        row.save()
    return row
