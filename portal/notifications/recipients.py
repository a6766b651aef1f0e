"""Who is told: the county's advisers, an organisation's members or administrators."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import Membership, Organisation, User


def adviser_users() -> QuerySet[User]:
    """Every active adviser (a member of a county organisation). When advisers get a
    municipality scope, this is the one place that narrows it."""
    return User.objects.filter(
        is_active=True, memberships__organisation__kind=Organisation.Kind.COUNTY
    ).distinct().order_by("pk")


def organisation_users(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(is_active=True, memberships__organisation=organisation)\
        .distinct().order_by("pk")


def organisation_admins(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__organisation=organisation,
        memberships__role=Membership.Role.ADMIN,
    ).distinct().order_by("pk")
