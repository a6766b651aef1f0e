"""Who is told: the county's advisers, an organisation's members or administrators."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from portal.models import Membership, Organisation, User


def adviser_users(*, municipalities: Iterable[str] | None = None) -> QuerySet[User]:
    """Every active adviser (a member of a county organisation) — or, given the codes of the
    municipalities the news concerns, those whose scope includes one of them: a county
    adviser without a limit, or one limited to such a municipality. The same rule as
    `portal.access.adviser_scope`, so nobody is told what they could not open."""
    county = Membership.objects.filter(organisation__kind=Organisation.Kind.COUNTY)
    if municipalities is not None:
        county = county.filter(Q(municipalities__isnull=True)
                               | Q(municipalities__code__in=sorted(set(municipalities))))
    return User.objects.filter(is_active=True, pk__in=county.values("user_id")).order_by("pk")


def advisers_for(organisation: Organisation) -> QuerySet[User]:
    """The advisers who may see this organisation's data (news about it goes to them only)."""
    return adviser_users(municipalities=[organisation.municipality.code]
                         if organisation.municipality_id else [])


def organisation_users(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(is_active=True, memberships__organisation=organisation)\
        .distinct().order_by("pk")


def organisation_admins(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__organisation=organisation,
        memberships__role=Membership.Role.ADMIN,
    ).distinct().order_by("pk")
