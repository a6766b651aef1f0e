"""Survey rounds, a business's answer to a round, and its competence needs."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.choices import Format, Level
from portal.models import CompetenceArea, Organisation, SpreadsheetUpload


def choice_labels(choices: type[models.TextChoices], codes: list[str]) -> list[str]:
    """Codes stored in a JSON list, as labels in the current language (unknown codes as is)."""
    labels = dict(choices.choices)
    return [str(labels.get(code, code)) for code in codes or []]


class SurveyRound(models.Model):
    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveIntegerField(_("year"))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    intro = models.TextField(_("introduction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class SurveyResponse(models.Model):
    """A business's answer to the survey: the profile questions, consent, and its needs."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class OverallNeed(models.TextChoices):
        NONE = "none", _("No unmet need")
        SOME = "some", _("Some unmet need")
        LARGE = "large", _("Large unmet need")

    class Measure(models.TextChoices):
        TRAIN_STAFF = "train_staff", _("Train current staff")
        RECRUIT_NORWAY = "recruit_norway", _("Recruit in Norway")
        RECRUIT_ABROAD = "recruit_abroad", _("Recruit from abroad")
        HIRE_IN = "hire_in", _("Hire in or outsource")

    class Barrier(models.TextChoices):
        TIME = "time", _("Lack of time")
        COST = "cost", _("Cost")
        NO_OFFER = "no_offer", _("No relevant offer")
        DISTANCE = "distance", _("Distance")
        DONT_KNOW = "dont_know", _("Don't know where to look")

    class Consent(models.TextChoices):
        STATISTICS = "statistics", _("Anonymised statistics only")
        ANONYMOUS = "anonymous", _("Shown to providers without our name")
        NAMED = "named", _("Providers may contact us by name")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_responses"
    )
    round = models.ForeignKey(
        SurveyRound, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    step = models.PositiveSmallIntegerField(default=1)
    overall_need = models.CharField(
        _("size of the unmet need"), max_length=10, choices=OverallNeed.choices, blank=True
    )
    measures = models.JSONField(_("what the business does about it"), default=list, blank=True)
    barriers = models.JSONField(_("what stands in the way"), default=list, blank=True)
    # Empty until the business chooses: consent is an explicit answer, never preselected.
    consent = models.CharField(
        _("consent"), max_length=20, choices=Consent.choices, blank=True, default=""
    )
    # The business said it has an unmet need but confirmed it cannot describe one yet.
    needs_later = models.BooleanField(_("needs to be described later"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The language the business answered in: its receipt is written in the same one.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round"],
                condition=models.Q(round__isnull=False),
                name="response_one_per_round",
            )
        ]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round or '-'}"

    def measures_display(self) -> list[str]:
        return choice_labels(self.Measure, self.measures)

    def barriers_display(self) -> list[str]:
        return choice_labels(self.Barrier, self.barriers)


class Need(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_BROKERING = "in_brokering", _("In brokering")
        COVERED = "covered", _("Covered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Allowed status changes, written down once.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.IN_BROKERING, Status.COVERED, Status.WITHDRAWN},
        Status.IN_BROKERING: {Status.SUBMITTED, Status.COVERED, Status.WITHDRAWN},
        Status.COVERED: {Status.IN_BROKERING},
        Status.WITHDRAWN: {Status.DRAFT},
    }
    # Statuses the matching engine works on.
    MATCHABLE = (Status.SUBMITTED, Status.IN_BROKERING)

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Consequence(models.TextChoices):
        LOST_ORDERS = "lost_orders", _("Lost customers or orders")
        GROWTH_POSTPONED = "growth_postponed", _("Growth postponed")
        SAFETY_RISK = "safety_risk", _("Safety risk")
        REGULATORY = "regulatory", _("Regulatory requirement")
        CANNOT_RECRUIT = "cannot_recruit", _("Cannot recruit")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="needs")
    round = models.ForeignKey(
        SurveyRound, null=True, blank=True, on_delete=models.PROTECT, related_name="needs"
    )
    response = models.ForeignKey(
        SurveyResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    area = models.ForeignKey(
        CompetenceArea, verbose_name=_("competence area"), on_delete=models.PROTECT,
        related_name="needs",
    )
    title = models.CharField(_("short title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(
        _("number of participants"), validators=[MinValueValidator(1)]
    )
    to_train = models.PositiveIntegerField(_("current staff to train"), null=True, blank=True)
    to_recruit = models.PositiveIntegerField(_("people to recruit"), null=True, blank=True)
    level = models.CharField(
        _("wanted level"), max_length=30, choices=Level.choices, blank=True,
        help_text=_("Leave empty if you don't know."),
    )
    formats = models.JSONField(_("accepted formats"), default=list)
    earliest_start = models.DateField(_("earliest start"), null=True, blank=True)
    latest_start = models.DateField(_("latest start"), null=True, blank=True)
    # None with online_only=False means "no limit given".
    max_travel_km = models.PositiveIntegerField(_("maximum travel (km)"), null=True, blank=True)
    online_only = models.BooleanField(_("online only"), default=False)
    budget_per_participant = models.DecimalField(
        _("budget per participant (NOK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    consequence = models.CharField(
        _("consequence if unmet"), max_length=30, choices=Consequence.choices, blank=True
    )
    willing_to_share = models.BooleanField(_("willing to share a course"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followups",
        help_text=_("The same need in an earlier round."),
    )
    # Answered in the next round: was this need met, and by which offer?
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_offer = models.ForeignKey(
        "offers.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="need_unique_external_ref",
            )
        ]
        indexes = [models.Index(fields=["status", "area"])]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title or f"{self.area} ({self.participants})"

    def formats_display(self) -> list[str]:
        return choice_labels(Format, self.formats)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class NeedImportManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=SpreadsheetUpload.Kind.NEEDS)


class NeedImport(SpreadsheetUpload):
    """An adviser's upload of earlier survey answers: the shared upload model, kind "needs".
    The survey round it is imported into is one of its options."""

    objects = NeedImportManager()

    class Meta:
        proxy = True
        verbose_name = _("need import")
        verbose_name_plural = _("need imports")

    def save(self, *args, **kwargs) -> None:
        self.kind = SpreadsheetUpload.Kind.NEEDS
        super().save(*args, **kwargs)

    @cached_property
    def round(self) -> SurveyRound | None:
        round_id = self.options.get("round_id")
        return SurveyRound.objects.filter(pk=round_id).first() if round_id else None
