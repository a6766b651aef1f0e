"""Who is told: the county's advisers (those whose scope covers the case), an organisation's
members or administrators."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from portal.models import Membership, Organisation, User


def adviser_users(*, municipality_ids: Iterable[int | None]) -> QuerySet[User]:
    """The active advisers whose scope covers at least one of these municipalities: an adviser
    without a scope (a county adviser) hears about everything; a municipality's own adviser
    only about businesses in their municipalities. A case with no municipality (None) reaches
    the advisers without a scope only. The same rule as `portal.access.adviser_scope`, so nobody
    is told about a case whose page would be a 404 for them."""
    ids = sorted({pk for pk in municipality_ids if pk is not None})
    county = Membership.objects.filter(organisation__kind=Organisation.Kind.COUNTY)
    unlimited = county.filter(municipalities__isnull=True)
    covering = county.filter(municipalities__in=ids) if ids else county.none()
    return User.objects.filter(is_active=True).filter(
        Q(memberships__in=unlimited) | Q(memberships__in=covering)
    ).distinct().order_by("pk")


def organisation_users(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(is_active=True, memberships__organisation=organisation)\
        .distinct().order_by("pk")


def organisation_admins(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__organisation=organisation,
        memberships__role=Membership.Role.ADMIN,
    ).distinct().order_by("pk")
