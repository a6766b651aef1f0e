"""Who may see and do what. Pages and the API both call these functions, so a rule lives once.

App modules fetch their own objects (`needs.selectors.need_for_user`, ...) and decide with the
predicates here; this module never imports the apps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from .models import (
    Job,
    JoinRequest,
    Membership,
    Organisation,
    User,
    WebhookDelivery,
    WebhookEndpoint,
)
from .user_cache import UserCached

ACTIVE_ORG_SESSION_KEY = "active_organisation_id"
# Set on the user by the API's token authentication: such a request acts within that one
# organisation only, whatever else the user belongs to.
TOKEN_SCOPE_ATTR = "api_organisation_id"


def _memberships(user) -> QuerySet[Membership]:
    qs = Membership.objects.filter(user=user)
    scope = getattr(user, TOKEN_SCOPE_ATTR, None)
    return qs if scope is None else qs.filter(organisation_id=scope)


# A second factor is a TOTP app or a passkey; recovery codes only stand in for one.
SECOND_FACTOR_TYPES = ("totp", "webauthn")


@dataclass(frozen=True)
class MembershipRow:
    membership_id: int
    organisation_id: int
    kind: str
    role: str
    municipality_codes: tuple[str, ...]  # a county membership's limit; empty: no limit


@dataclass(frozen=True)
class Standing:
    """What every page asks about its user: memberships, their organisations and whether a
    second factor is set up. Read in four queries, kept in the shared cache
    (`portal.user_cache`), and dropped (`standing_forget`) whenever a membership, its
    organisation or an authenticator changes, so a revoked right is gone from the next request
    on."""

    memberships: tuple[MembershipRow, ...]
    second_factor: bool
    organisations: tuple[Organisation, ...] = ()  # by name, municipality joined


def _standing_read(user) -> Standing:
    codes: dict[int, list[str]] = {}
    for membership_id, code in Membership.municipalities.through.objects.filter(
            membership__user=user).values_list("membership_id", "municipality__code"):
        codes.setdefault(membership_id, []).append(code)
    rows = tuple(
        MembershipRow(pk, organisation_id, kind, role, tuple(sorted(codes.get(pk, ()))))
        for pk, organisation_id, kind, role in Membership.objects.filter(user=user)
        .order_by("pk").values_list("pk", "organisation_id", "organisation__kind", "role"))
    organisations = tuple(Organisation.objects.filter(memberships__user=user)
                          .select_related("municipality").order_by("name", "pk"))
    return Standing(rows, has_second_factor(user), organisations)


STANDING = UserCached("standing", _standing_read, version=2,
                      also_forget=("_county_memberships", "_county_standing"))


def standing_forget(user_ids, user_objects=()) -> None:
    STANDING.forget(user_ids, user_objects)


def membership_rows(user) -> tuple[MembershipRow, ...]:
    """The user's memberships (within an API token's one organisation, if it has one)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    rows = STANDING.get(user).memberships
    scope = getattr(user, TOKEN_SCOPE_ATTR, None)
    return rows if scope is None else tuple(r for r in rows if r.organisation_id == scope)


def _county_memberships(user) -> list[tuple[int, str | None]]:
    """(membership id, municipality code or None) of the user's county memberships: both "is
    an adviser" and the adviser's scope read it."""
    cached = getattr(user, "_county_memberships", None)
    if cached is None:
        cached = [(row.membership_id, code)
                  for row in membership_rows(user) if row.kind == Organisation.Kind.COUNTY
                  for code in (row.municipality_codes or (None,))]
        user._county_memberships = cached
    return cached


def _county_standing(user) -> str:
    """"" for a user outside the county, "adviser", or "no_second_factor" for a county member
    who has not set up a second factor yet. Cached on the user object for the request."""
    cached = getattr(user, "_county_standing", None)
    if cached is None:
        if not _county_memberships(user):
            cached = ""
        else:
            cached = "adviser" if STANDING.get(user).second_factor else "no_second_factor"
        user._county_standing = cached
    return cached


def is_adviser(user) -> bool:
    """A county adviser (kompetansemegler) belongs to an organisation of kind county and has set
    up a second factor: with a password alone the account has no adviser rights anywhere (pages,
    exports and the API all ask this function)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _county_standing(user) == "adviser"


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def second_factor_missing(user) -> bool:
    """An adviser or staff member who must set up a second factor before going on."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return not STANDING.get(user).second_factor
    return _county_standing(user) == "no_second_factor"


def adviser_scope(user) -> frozenset[str] | None:
    """The municipality codes an adviser may see: None for a county adviser without a limit
    (everything), else the codes set on their county membership(s) (admin or
    `createadviser --municipality`). Not an adviser: the empty set. Every adviser list, queue,
    export, dashboard and API answer narrows by this one rule (see `in_adviser_scope` and
    `restrict_to_scope`)."""
    if not is_adviser(user):
        return frozenset()
    limits: dict[int, set[str]] = {}
    for membership_id, code in _county_memberships(user):
        limits.setdefault(membership_id, set())
        if code:
            limits[membership_id].add(code)
    # An unlimited county membership wins; several limited ones add up.
    if any(not codes for codes in limits.values()):
        return None
    return frozenset().union(*limits.values())


def adviser_scopes_in_use() -> set[frozenset[str]]:
    """The distinct scopes of county members limited to some municipalities, by the same rule
    as `adviser_scope` (one query; the barometer renders their dashboards ahead of them)."""
    by_user: dict[int, dict[int, set[str]]] = {}
    for user_id, membership_id, code in Membership.objects.filter(
            organisation__kind=Organisation.Kind.COUNTY, user__is_active=True).values_list(
            "user_id", "pk", "municipalities__code"):
        codes = by_user.setdefault(user_id, {}).setdefault(membership_id, set())
        if code:
            codes.add(code)
    return {frozenset().union(*limits.values()) for limits in by_user.values()
            if all(limits.values())}


def in_adviser_scope(user, municipality_code: str | None) -> bool:
    """May this adviser see data of a business in that municipality?"""
    scope = adviser_scope(user)
    if scope is None:
        return is_adviser(user)
    return bool(municipality_code) and municipality_code in scope


def restrict_to_scope(qs: QuerySet, user, municipality_path: str) -> QuerySet:
    """`qs` narrowed to the adviser's scope; `municipality_path` leads from the model to a
    Municipality (e.g. "organisation__municipality", "need__organisation__municipality")."""
    scope = adviser_scope(user)
    if scope is None:
        return qs
    return qs.filter(**{f"{municipality_path}__code__in": sorted(scope)})


def organisations_for_user(*, user, kind: str | None = None) -> QuerySet[Organisation]:
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
    return any(row.organisation_id == organisation.pk for row in membership_rows(user))


def is_org_admin(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(row.organisation_id == organisation.pk and row.role == Membership.Role.ADMIN
               for row in membership_rows(user))


def organisation_kinds(user) -> set[str]:
    """The kinds of organisation the user belongs to (the menu's business/provider links)."""
    return {row.kind for row in membership_rows(user)}


def webhook_organisations(*, user) -> QuerySet[Organisation]:
    """Organisations whose webhook endpoints the user manages: those they administer, and
    for an adviser the county organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    managed = _memberships(user).filter(
        Q(role=Membership.Role.ADMIN) | Q(organisation__kind=Organisation.Kind.COUNTY))
    return Organisation.objects.filter(pk__in=managed.values("organisation")).order_by("name")


def can_view_organisation_data(user, organisation: Organisation) -> bool:
    """Members see their organisation's data; advisers every organisation's in their scope."""
    if is_member(user, organisation):
        return True
    return is_adviser(user) and in_adviser_scope(
        user, organisation.municipality.code if organisation.municipality_id else None)


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
    """The organisation the user currently acts for (chosen in the session, else the first by
    name), from the cached standing: every business and provider page asks."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    allowed = {row.organisation_id for row in membership_rows(user)}  # an API token's scope
    orgs = [org for org in STANDING.get(user).organisations
            if org.pk in allowed and (kind is None or org.kind == kind)]
    chosen = request.session.get(ACTIVE_ORG_SESSION_KEY) if hasattr(request, "session") else None
    return next((org for org in orgs if org.pk == chosen), orgs[0] if orgs else None)


def require_active_organisation(request: HttpRequest, kind: str) -> Organisation:
    """The active organisation of the given kind, or 403: pages for businesses/providers use it."""
    org = active_organisation(request, kind=kind)
    if org is None:
        raise PermissionDenied
    return org


def require_organisations(*, user, kind: str) -> QuerySet[Organisation]:
    """The user's organisations of this kind, or 403 for someone who has none: pages for
    businesses or providers only."""
    organisations = organisations_for_user(user=user, kind=kind)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _pk_or_404(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def organisation_for_member(*, user, pk) -> Organisation:
    """The organisation if the user is a member of it; 404 otherwise (ids are not secrets,
    but whether an id exists is nobody else's business)."""
    pk = _pk_or_404(pk)
    org = organisations_for_user(user=user).filter(pk=pk).first()
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



def pending_claims_for_adviser(*, user: User) -> QuerySet[Organisation]:
    """Organisation numbers someone claims, waiting for the county: for advisers only (403),
    within their municipality scope."""
    require_adviser(user)
    pending = Organisation.objects.filter(claim=Organisation.Claim.PENDING).exclude(
        kind=Organisation.Kind.COUNTY)
    return restrict_to_scope(pending, user=user, municipality_path="municipality")


def claim_for_adviser(*, user, pk) -> Organisation:
    """An organisation whose claim waits for the county: 403 for anyone but an adviser, 404
    for an id that has no pending claim or one outside the adviser's scope."""
    found = pending_claims_for_adviser(user=user).filter(pk=_pk_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def job_for_user(*, user: User, pk: int) -> Job:
    """The creator sees their job; advisers see every job (a re-match concerns them all).
    Anyone else gets a 404, whether the job exists or not."""
    job = Job.objects.filter(pk=_pk_or_404(pk)).first()
    if job is None or not (job.created_by_id == getattr(user, "pk", None) or is_adviser(user)):
        raise Http404
    return job


def webhook_endpoint_for_manager(*, user: User, pk: int) -> WebhookEndpoint:
    """An endpoint of an organisation whose webhooks the user manages; 404 for anyone else's."""
    found = WebhookEndpoint.objects.select_related("organisation").filter(
        pk=_pk_or_404(pk), organisation__in=webhook_organisations(user=user)).first()
    if found is None:
        raise Http404
    return found


def webhook_delivery_for_manager(*, user: User, pk: int) -> WebhookDelivery:
    """A delivery to such an endpoint; 404 for anyone else's."""
    found = WebhookDelivery.objects.select_related("endpoint").filter(
        pk=_pk_or_404(pk), endpoint__organisation__in=webhook_organisations(user=user)).first()
    if found is None:
        raise Http404
    return found
