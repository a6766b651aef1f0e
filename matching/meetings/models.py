"""The meeting place (møteplass): meetings of a cohort's businesses with the providers who could
serve them, the invitations and replies, 1:1 slot requests, join requests and the outcome.

The models belong to the `matching` app (imported by `matching.models`), next to the cohorts
they grow out of. Statuses are `TextChoices` with their allowed moves written here once.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class MeetingQuerySet(models.QuerySet):
    def upcoming_public(self, now: dt.datetime) -> MeetingQuerySet:
        """What the public listing shows: public meetings with invitations out, not yet over."""
        return self.filter(is_public=True, status=Meeting.Status.INVITED, starts_at__gte=now)

    def reminder_due(self, now: dt.datetime, tomorrow_ends: dt.datetime) -> MeetingQuerySet:
        """Meetings starting before the end of tomorrow (Oslo time) whose reminder is not sent."""
        return self.filter(status=Meeting.Status.INVITED, reminder_sent_at__isnull=True,
                           starts_at__gt=now, starts_at__lt=tomorrow_ends)


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        INVITED = "invited", _("Invitations sent")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.INVITED, Status.CANCELLED},
        Status.INVITED: {Status.CANCELLED, Status.HELD},
        Status.CANCELLED: set(),
        Status.HELD: set(),
    }

    # The calendar identity (ics UID): stays the same through updates and the cancellation.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True,
                              help_text=_("One item per line, e.g. “10:00 Welcome”."))
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=120,
        validators=[MinValueValidator(15), MaxValueValidator(12 * 60)])
    municipality = models.ForeignKey(
        "portal.Municipality", verbose_name=_("municipality"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    is_public = models.BooleanField(
        _("show in the public listing"), default=False,
        help_text=_("Businesses that are not invited can then ask to join."))
    cohort = models.ForeignKey("matching.Cohort", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="meetings")
    cohort_request = models.ForeignKey("matching.CohortRequest", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="meetings")
    needs = models.ManyToManyField("needs.Need", blank=True, related_name="meetings")
    # 1:1 meetings run in `slot_count` slots of `slot_minutes` from `slot_start`, at most
    # `tables` at a time (0 = as many as needed).
    slot_start = models.DateTimeField(_("1:1 meetings start"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per 1:1 meeting"), default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)])
    slot_count = models.PositiveSmallIntegerField(
        _("number of 1:1 slots"), default=0, validators=[MaxValueValidator(48)])
    tables = models.PositiveSmallIntegerField(
        _("tables for 1:1 meetings"), default=0,
        help_text=_("How many 1:1 meetings can run at once; 0 means no limit."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # RFC 5545 SEQUENCE: raised by every change invitees are told about.
    sequence = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def slot_times(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """Start and end of each 1:1 slot, in order."""
        if not self.slot_start or not self.slot_count:
            return []
        step = dt.timedelta(minutes=self.slot_minutes)
        return [(self.slot_start + i * step, self.slot_start + (i + 1) * step)
                for i in range(self.slot_count)]


class Invitation(models.Model):
    """One invited organisation (a business or a provider) and its reply."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        YES = "yes", _("Coming")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Not coming")

    ANSWERS = (Reply.YES, Reply.MAYBE, Reply.NO)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE,
                                     related_name="meeting_invitations")
    # The language the invitation, its updates and reminders are written in.
    language = models.CharField(max_length=10, default="nb")
    reply = models.CharField(_("reply"), max_length=10, choices=Reply.choices,
                             default=Reply.PENDING)
    headcount = models.PositiveSmallIntegerField(_("how many will come"), default=0)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Part of every signed reply link; replaced when a link is used, so a link works once.
    token_nonce = models.CharField(max_length=32, default=new_nonce)
    attended = models.BooleanField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"],
                                               name="invitation_unique")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.organisation_id} ({self.reply})"


class SlotRequest(models.Model):
    """A participant asks another for a short 1:1 meeting (a business with a provider)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slot_requests")
    requester = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE,
                                  related_name="+")
    invitee = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    message = models.CharField(_("what you would like to talk about"), max_length=300,
                               blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Set by the scheduler: the slot index (0-based) and the table number (1-based).
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "requester", "invitee"],
                                               name="slot_request_unique")]

    def __str__(self) -> str:
        return f"{self.requester_id} ↔ {self.invitee_id} ({self.status})"


class MeetingJoinRequest(models.Model):
    """A business asks to join a public meeting; the adviser decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the adviser")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="join_requests")
    organisation = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    message = models.CharField(_("message to the adviser"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["meeting", "organisation"], condition=models.Q(status="pending"),
            name="meeting_join_one_pending")]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.meeting_id} ({self.status})"


class MeetingOutcome(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="outcome")
    notes = models.TextField(_("what came of it"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"outcome of {self.meeting_id}"


class MeetingCommitment(models.Model):
    """A provider commits to run something: it becomes (or links) an offer draft, proposed to
    the businesses of the meeting's needs."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commitments")
    provider = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE,
                                 related_name="+")
    offer = models.ForeignKey("offers.Offer", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    what = models.CharField(_("what the provider will run"), max_length=200)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    price_nok = models.DecimalField(_("price per participant (NOK)"), max_digits=10,
                                    decimal_places=2, null=True, blank=True)
    proposals = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.what
