from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import Municipality


class Organisation(models.Model):
    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        PROVIDER = "provider", _("Education provider")
        COUNTY = "county", _("County council")

    orgnr = models.CharField(_("organisation number"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="organisations",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    postal_place = models.CharField(_("postal place"), max_length=100, blank=True)
    # The code is stored with its standard because SN2025 renumbers SN2007's codes.
    industry_code = models.CharField(_("industry code"), max_length=10, blank=True)
    industry_standard = models.CharField(_("industry standard"), max_length=10, default="SN2007")
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent_orgnr = models.CharField(_("main entity number"), max_length=9, blank=True)

    class Claim(models.TextChoices):
        # Anyone may register an unregistered organisation number; a county adviser confirms
        # that the person may act for it. Until then its needs are saved and matched, but no
        # proposal is sent to it.
        PENDING = "pending", _("Waiting for the county to confirm")
        VERIFIED = "verified", _("Confirmed")

    claim = models.CharField(_("claim"), max_length=20, choices=Claim.choices,
                             default=Claim.VERIFIED)
    claim_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    claim_decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    # An adviser's scope: a municipality's own business adviser sees only these; empty means
    # every municipality (a county adviser). Read through `portal.access.adviser_scope`.
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("limited to municipalities"),
        help_text=_("For advisers: leave empty to see every municipality."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class JoinRequest(models.Model):
    """A user asks to join an organisation that is already registered; an admin decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.CharField(_("message to the administrator"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], condition=models.Q(status="pending"),
                name="join_request_one_pending",
            )
        ]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"
