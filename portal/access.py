"""Who may see and do what. Pages and the API both call these functions, so a rule lives once.

App modules fetch their own objects (`needs.selectors.need_for_user`, ...) and decide with the
predicates here; this module never imports the apps.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from .models import JoinRequest, Membership, Organisation

ACTIVE_ORG_SESSION_KEY = "active_organisation_id"
# Set on the user by the API's token authentication: such a request acts within that one
# organisation only, whatever else the user belongs to.
TOKEN_SCOPE_ATTR = "api_organisation_id"


def _memberships(user) -> QuerySet[Membership]:
    qs = Membership.objects.filter(user=user)
    scope = getattr(user, TOKEN_SCOPE_ATTR, None)
    return qs if scope is None else qs.filter(organisation_id=scope)


def is_adviser(user) -> bool:
    """A county adviser (kompetansemegler) belongs to an organisation of kind county."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_is_adviser", None)
    if cached is None:
        cached = _memberships(user).filter(organisation__kind=Organisation.Kind.COUNTY).exists()
        user._is_adviser = cached
    return cached


def organisations_for_user(user, kind: str | None = None) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(memberships__user=user)
    scope = getattr(user, TOKEN_SCOPE_ATTR, None)
    if scope is not None:
        qs = qs.filter(pk=scope)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("municipality").order_by("name")


def is_member(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _memberships(user).filter(organisation=organisation).exists()


def is_org_admin(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _memberships(user).filter(
        organisation=organisation, role=Membership.Role.ADMIN).exists()


def webhook_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose webhook endpoints the user manages: those they administer, and
    for an adviser the county organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    managed = _memberships(user).filter(
        Q(role=Membership.Role.ADMIN) | Q(organisation__kind=Organisation.Kind.COUNTY))
    return Organisation.objects.filter(pk__in=managed.values("organisation")).order_by("name")


def can_view_organisation_data(user, organisation: Organisation) -> bool:
    """Members see their organisation's data; advisers see every organisation's."""
    return is_adviser(user) or is_member(user, organisation)


def can_edit_organisation_data(user, organisation: Organisation) -> bool:
    """Only members act on behalf of an organisation; advisers act through their own pages."""
    return is_member(user, organisation)


def require_member(user, organisation: Organisation) -> None:
    if not can_edit_organisation_data(user, organisation):
        raise PermissionDenied


def require_adviser(user) -> None:
    if not is_adviser(user):
        raise PermissionDenied


def active_organisation(request: HttpRequest, kind: str | None = None) -> Organisation | None:
    """The organisation the user currently acts for (chosen in the session, else the first)."""
    orgs = organisations_for_user(request.user, kind=kind)
    chosen = request.session.get(ACTIVE_ORG_SESSION_KEY) if hasattr(request, "session") else None
    if chosen:
        org = orgs.filter(pk=chosen).first()
        if org:
            return org
    return orgs.first()


def require_active_organisation(request: HttpRequest, kind: str) -> Organisation:
    """The active organisation of the given kind, or 403: pages for businesses/providers use it."""
    org = active_organisation(request, kind=kind)
    if org is None:
        raise PermissionDenied
    return org


def require_organisations(user, kind: str) -> QuerySet[Organisation]:
    """The user's organisations of this kind, or 403 for someone who has none: pages for
    businesses or providers only."""
    organisations = organisations_for_user(user, kind=kind)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def organisation_for_member(*, user, pk) -> Organisation:
    """The organisation if the user is a member of it; 404 otherwise (ids are not secrets,
    but whether an id exists is nobody else's business)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    org = organisations_for_user(user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def join_request_for_admin(*, user, pk) -> JoinRequest:
    """A request to join an organisation the user administers; 404 for anyone else's."""
    found = JoinRequest.objects.select_related("organisation", "user").filter(pk=pk).first()
    if found is None or not is_org_admin(user, found.organisation):
        raise Http404
    return found


def membership_for_member(*, user, pk) -> Membership:
    """A membership in an organisation the user belongs to; 404 for other organisations'.
    (Whether the user may change it — an admin, or leaving themselves — the view decides.)"""
    found = Membership.objects.select_related("organisation", "user").filter(pk=pk).first()
    if found is None or not is_member(user, found.organisation):
        raise Http404
    return found

