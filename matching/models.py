"""Matches (need × offer with an explained score), their history, cohorts of pooled demand."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from needs.models import Need
from offers.models import Offer
from portal.models import CompetenceArea, Municipality, Organisation


class MatchingSettings(models.Model):
    """Weights and thresholds, tuned by advisers on the settings page. One row (pk=1).

    The weights add up to 1 and topic carries at least half (see engine/scoring.py: relevance
    gates the rest); `matching.learning.weights_problems` is the one place that says so."""

    weight_topic = models.FloatField(_("weight: topic"), default=0.55)
    weight_level = models.FloatField(_("weight: level"), default=0.08)
    weight_format = models.FloatField(_("weight: format"), default=0.05)
    weight_geography = models.FloatField(_("weight: geography"), default=0.12)
    weight_timing = models.FloatField(_("weight: timing"), default=0.08)
    weight_cost = models.FloatField(_("weight: cost"), default=0.07)
    weight_capacity = models.FloatField(_("weight: capacity"), default=0.05)
    min_score = models.FloatField(_("minimum score kept"), default=40.0)
    top_k = models.PositiveIntegerField(_("matches kept per need"), default=10)
    # The weak band's upper edge (engine/bands.py), kept as a field for the API's threshold.
    gap_score = models.FloatField(_("best score below which a need is a gap"), default=40.0)
    cohort_threshold = models.PositiveIntegerField(_("participants for an opportunity"), default=8)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return str(_("Matching settings"))

    @classmethod
    def current(cls) -> "MatchingSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Match(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        APPROVED = "approved", _("Approved")
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        ENROLLED = "enrolled", _("Enrolled")
        DISMISSED = "dismissed", _("Dismissed")

    TRANSITIONS: dict[str, set[str]] = {
        Status.SUGGESTED: {Status.APPROVED, Status.DISMISSED},
        Status.APPROVED: {Status.PROPOSED, Status.SUGGESTED, Status.DISMISSED},
        Status.PROPOSED: {Status.ACCEPTED, Status.DECLINED},
        Status.ACCEPTED: {Status.ENROLLED, Status.DECLINED},
        Status.DECLINED: set(),
        Status.ENROLLED: set(),
        Status.DISMISSED: {Status.SUGGESTED},
    }

    # No separate need_id index: the unique (need, offer) index serves lookups by need.
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches",
                             db_index=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(_("score"))
    # Component name -> value in [0, 1], e.g. {"topic": 1.0, "geography": 0.6, ...}.
    components = models.JSONField(default=dict)
    # Reasons as codes with parameters, rendered in the reader's language at display time.
    reasons = models.JSONField(default=list)
    rank = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUGGESTED
    )
    # False once a re-score drops it out of the top K; decided matches are kept anyway.
    is_current = models.BooleanField(default=True)
    adviser_note = models.TextField(_("adviser note"), blank=True)
    response_reason = models.CharField(_("reason"), max_length=300, blank=True)
    scored_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["need", "rank"]
        constraints = [models.UniqueConstraint(fields=["need", "offer"], name="match_unique_pair")]
        # Only decided matches are looked up by status; the engine's bulk suggestions (nearly
        # all rows) stay out of this index, so writing them does not maintain it.
        indexes = [models.Index(fields=["status"], condition=~models.Q(status="suggested"),
                                name="match_decided_status"),
                   # The adviser's queue (best first, 25 a page): read in index order and
                   # stopped after the page, instead of joining and sorting every match. With
                   # the need and the status in it, a filtered page (an area's needs, one
                   # status) is found without reading each match it passes on the way.
                   models.Index(fields=["-score", "id"], include=["need", "status", "is_current"],
                                name="match_queue_cover"),
                   # The API's list pages by (-score, -id) (a stable cursor): the same, for
                   # that order (ties on a score are common: thousands of rows at the top).
                   models.Index(models.F("score").desc(), models.F("id").desc(),
                                name="match_api_order")]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.need_id} × {self.offer_id}: {self.score:.0f}"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def decline_reason_display(self) -> str:
        """The business's reason in the reader's language, with its own words if it gave any
        ("The time does not suit us – we are busy until May")."""
        if not self.response_reason:
            return ""
        from .services import DECLINE_REASONS

        code, _sep, note = self.response_reason.partition(": ")
        label = dict(DECLINE_REASONS).get(code)
        if label is None:
            return self.response_reason
        return f"{label} – {note}" if note else str(label)

    def business_status_display(self) -> str:
        """The status in the business's own words ("Proposed to you"), not the adviser's."""
        return str(BUSINESS_STATUS_LABELS.get(self.status, self.get_status_display()))


# What a business reads on its proposals; the adviser's words describe the adviser's work.
BUSINESS_STATUS_LABELS = {
    Match.Status.PROPOSED: _("Proposed to you"),
    Match.Status.ACCEPTED: _("You accepted"),
    Match.Status.DECLINED: _("You declined"),
    Match.Status.ENROLLED: _("Enrolled"),
}


class MatchEvent(models.Model):
    """Who did what to a match, when."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Cohort(models.Model):
    """Pooled demand: needs from several businesses that one course could serve."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        REVIEWED = "reviewed", _("Reviewed")
        SENT = "sent", _("Sent to providers")
        ARRANGED = "arranged", _("Course arranged")
        CLOSED = "closed", _("Closed")

    # Deterministic identity, so a rebuild finds the same cohort and keeps its status.
    key = models.CharField(max_length=200, unique=True)
    area = models.ForeignKey(CompetenceArea, on_delete=models.PROTECT, related_name="cohorts")
    level = models.CharField(max_length=30, blank=True)
    anchor_municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    online = models.BooleanField(default=False)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    participants = models.PositiveIntegerField(default=0)
    business_count = models.PositiveIntegerField(default=0)
    threshold = models.PositiveIntegerField(default=8)
    is_opportunity = models.BooleanField(default=False, db_index=True)
    is_current = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    adviser_note = models.TextField(blank=True)
    needs = models.ManyToManyField(Need, through="CohortNeed", related_name="cohorts")
    built_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-participants"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return f"{self.area} ({self.participants})"


class CohortNeed(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="cohort_memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "need"], name="cohort_need_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}: {self.need_id}"


class CohortRequest(models.Model):
    """A cohort sent to a provider, anonymised until the businesses consent, and the answer."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("Declined")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="requests")
    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cohort_requests"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    message = models.TextField(blank=True)
    response = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "provider"], name="cohort_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} → {self.provider_id}"


# --- engine bookkeeping: when each need/offer was last matched (for the sweep and the gaps) ----


class NeedMatchState(models.Model):
    need = models.OneToOneField(Need, on_delete=models.CASCADE, primary_key=True,
                                related_name="match_state")
    matched_at = models.DateTimeField()
    best_score = models.FloatField(null=True, blank=True)
    candidates = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"need {self.need_id} matched {self.matched_at:%Y-%m-%d %H:%M}"


class OfferMatchState(models.Model):
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, primary_key=True,
                                 related_name="match_state")
    matched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"offer {self.offer_id} matched {self.matched_at:%Y-%m-%d %H:%M}"


class OfferInterest(models.Model):
    """A business said "this is what we need" on an offer's page ("Meld interesse"): either
    through a new need drafted from the offer, or by pointing at one of its needs."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="offer_interests")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="interests")
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="offer_interests")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "offer"],
                                               name="offer_interest_unique")]
        verbose_name = _("interest in an offer")
        verbose_name_plural = _("interests in offers")

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.offer_id}"


# --- the meeting place: models live in matching/meetings/models.py, registered with this app ---
from .meetings.models import (  # noqa: E402, F401
    Invitation,
    Meeting,
    MeetingCommitment,
    MeetingJoinRequest,
    MeetingOutcome,
    SlotRequest,
)


class WeightChange(models.Model):
    """One change of the matching weights: who, when, from what to what, and the figures
    (nDCG@5, hit@1 on the newer third of the labels) that justified it."""

    class Source(models.TextChoices):
        PAGE = "page", _("Settings page")
        TUNED = "tuned", _("Learnt from decisions")

    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PAGE)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    # e.g. {"labels": 412, "train": 275, "test": 137, "ndcg5_before": 0.81, "ndcg5_after": 0.86,
    #       "hit1_before": 0.7, "hit1_after": 0.78}
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("weight change")
        verbose_name_plural = _("weight changes")

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.source}"


class TunedWeights(models.Model):
    """The latest result of `tune_weights`, waiting for an adviser to apply it (one row)."""

    created_at = models.DateTimeField(auto_now=True)
    weights = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    applied = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"tuned {self.created_at:%Y-%m-%d %H:%M}"


class EngineRun(models.Model):
    """One run of the engine over many needs: a full re-match, or a nightly incremental run
    that re-scores only what changed or crossed a date boundary since the run before."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full re-match")
        INCREMENTAL = "incremental", _("Incremental nightly run")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()  # the date the run judged deadlines and ends by
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    needs = models.PositiveIntegerField(default=0)
    matches_written = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"
