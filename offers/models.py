"""The continuing-education catalogue."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.choices import Format, Level
from portal.models import CompetenceArea, Municipality, Organisation


class OfferQuerySet(models.QuerySet):
    def open_for_signup(self, today: dt.date) -> OfferQuerySet:
        """Published offers a business can still sign up for: the deadline has not passed,
        the course has not ended, and one that started without an end date only if it starts
        on demand. The engine, the catalogue and the cohort pages all use this one rule."""
        return (
            self.filter(status=Offer.Status.PUBLISHED)
            .exclude(application_deadline__lt=today)
            .exclude(end_date__lt=today)
            .exclude(Q(end_date__isnull=True) & Q(start_date__lt=today) & Q(on_demand=False))
        )


class Offer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.PUBLISHED, Status.ARCHIVED},
        Status.PUBLISHED: {Status.ARCHIVED, Status.DRAFT},
        Status.ARCHIVED: {Status.DRAFT, Status.PUBLISHED},
    }

    class Language(models.TextChoices):
        NB = "nb", _("Norwegian")
        EN = "en", _("English")
        OTHER = "other", _("Other")

    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(
        CompetenceArea, verbose_name=_("competence areas"), related_name="offers"
    )
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    credits = models.DecimalField(
        _("credits (ECTS)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("location"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="offers",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    price_nok = models.DecimalField(
        _("price per participant (NOK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    min_participants = models.PositiveIntegerField(_("minimum participants"), null=True, blank=True)
    max_participants = models.PositiveIntegerField(_("maximum participants"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.NB
    )
    url = models.URLField(_("link"), blank=True)
    on_demand = models.BooleanField(
        _("can run on demand where enough participants"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Search support, maintained by `offers.search.offer_search_refresh` (services and import):
    # the areas' labels and synonyms as plain text (the SQLite fallback searches it), and on
    # PostgreSQL a weighted `norwegian` tsvector with a GIN index (migration 0003).
    search_areas = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~models.Q(external_id=""),
                name="offer_unique_external_id",
            )
        ]
        indexes = [models.Index(fields=["status", "start_date"])]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())
