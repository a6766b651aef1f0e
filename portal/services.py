"""Writes of the shared domain: organisations, memberships, join requests, personal data."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.no import orgnr as orgnr_check

from . import access
from .auth_backends import user_forget
from .models import JoinRequest, Membership, Municipality, MunicipalityAlias, Organisation, User
from .notifications import (
    advisers_for,
    notification_send_many,
    notification_text,
    organisation_users,
    preferences_for_user,
)
from .notifications.kinds import CLAIM_CONFIRMED, CLAIM_REVOKED
from .personal_data import personal_data_for


def orgnr_clean(value: str) -> str:
    """The 9-digit organisation number, or a ValidationError that says what is wrong."""
    try:
        return orgnr_check.validate(value)
    except InvalidLength as exc:
        raise ValidationError(_("An organisation number has exactly nine digits."),
                              code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("This is not a valid organisation number: the check digit does not match. "
              "Check for a typing error."), code="checksum") from exc
    except InvalidFormat as exc:
        raise ValidationError(_("An organisation number contains digits only."),
                              code="format") from exc


def municipality_for_code(code: str) -> Municipality | None:
    """Today's municipality for a current or retired code (older registry data uses 38xx)."""
    if not code:
        return None
    found = Municipality.objects.filter(code=code).first()
    if found:
        return found
    alias = MunicipalityAlias.objects.select_related("municipality").filter(code=code).first()
    return alias.municipality if alias else None


@transaction.atomic
def organisation_register(*, user: User, orgnr: str, kind: str, **fields) -> Organisation:
    """Registers an organisation with the user as its first administrator."""
    orgnr = orgnr_clean(orgnr)
    if kind not in (Organisation.Kind.BUSINESS, Organisation.Kind.PROVIDER):
        raise ValidationError(_("Choose business or education provider."), code="kind")
    if Organisation.objects.filter(orgnr=orgnr).exists():
        raise ValidationError(
            _("An organisation with this number is already registered. Ask to join it instead."),
            code="duplicate")
    organisation = Organisation.objects.create(orgnr=orgnr, kind=kind,
                                               claim=Organisation.Claim.PENDING, **fields)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    _tell_advisers_about_claim(organisation, by=user)
    return organisation


@transaction.atomic
def organisation_claim(*, user: User, organisation: Organisation) -> Organisation:
    """The first person to ask for a registered organisation that nobody acts for (its claim
    was revoked) becomes its administrator, pending the county's confirmation."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.memberships.exists():
        raise ValidationError(_("Someone already acts for this organisation. Ask to join it."),
                              code="claimed")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    organisation.claim = Organisation.Claim.PENDING
    organisation.save(update_fields=["claim", "updated_at"])
    _tell_advisers_about_claim(organisation, by=user)
    return organisation


@transaction.atomic
def organisation_claim_decide(*, organisation: Organisation, by: User,
                              confirm: bool) -> Organisation:
    """An adviser confirms that the claimant may act for the organisation, or revokes the
    claim: then its members lose access (its data stays) and whoever asks next may claim it."""
    claimed = Organisation.objects.filter(pk=organisation.pk, claim=Organisation.Claim.PENDING)
    if not claimed.exists():
        raise ValidationError(_("This claim has already been decided."), code="decided")
    # Told before a revocation removes their memberships: the claimant and whoever they let in.
    _tell_members_about_claim(organisation, confirm=confirm, by=by)
    if confirm:
        claimed.update(claim=Organisation.Claim.VERIFIED, claim_decided_by=by,
                       claim_decided_at=timezone.now())
    else:
        claimed.update(claim_decided_by=by, claim_decided_at=timezone.now())
        Membership.objects.filter(organisation=organisation).delete()
        JoinRequest.objects.filter(organisation=organisation,
                                   status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.REJECTED, decided_by=by, decided_at=timezone.now())
    # The UPDATEs send no signal: the members' cached standing (which holds the organisation)
    # goes here; a revocation's deleted memberships have already dropped theirs.
    access.standing_forget(Membership.objects.filter(organisation=organisation)
                           .values_list("user_id", flat=True))
    organisation.refresh_from_db()
    return organisation


def _tell_members_about_claim(organisation: Organisation, *, confirm: bool, by: User) -> None:
    """In the portal and (their choice) by e-mail, in each member's language; the e-mail is
    queued on commit, so a decision rolled back tells nobody."""
    link = reverse("portal:organisation_members", args=[organisation.pk]) if confirm else \
        reverse("portal:organisation_start")
    notification_send_many(
        recipients=list(organisation_users(organisation)), kind="claim_decided",
        params={"organisation": organisation.name,
                "decision": CLAIM_CONFIRMED if confirm else CLAIM_REVOKED},
        link=link, exclude=by)


def _tell_advisers_about_claim(organisation: Organisation, *, by: User) -> None:
    """The advisers whose scope covers the organisation's municipality (nobody else may see
    the claim) are told in the portal and, as each chose, by e-mail queued on commit; the
    claimant is not told of their own claim, even if they are an adviser too."""
    notification_send_many(
        recipients=list(advisers_for(organisation)), kind="claim_submitted",
        params={"person": by.full_name or by.email, "email": by.email,
                "organisation": organisation.name, "orgnr": organisation.orgnr},
        link=reverse("portal:claim_list"), exclude=by)


@transaction.atomic
def organisation_create_without_members(*, orgnr: str, kind: str, name: str,
                                        **fields) -> Organisation:
    """An organisation known from an import (or the command line) that nobody has claimed
    yet; its people register and ask to join it later."""
    return Organisation.objects.create(orgnr=orgnr_clean(orgnr), kind=kind, name=name or orgnr,
                                       **fields)


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def join_request_create(
    *, user: User, organisation: Organisation, message: str = ""
) -> JoinRequest:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(_("You are already a member of this organisation."), code="member")
    existing = JoinRequest.objects.filter(user=user, organisation=organisation,
                                          status=JoinRequest.Status.PENDING).first()
    if existing:
        return existing
    join_request = JoinRequest.objects.create(user=user, organisation=organisation,
                                              message=message)
    from portal.notifications import notification_send_many, organisation_admins

    notification_send_many(
        recipients=organisation_admins(organisation), kind="join_requested",
        params={"person": user.full_name or user.email, "organisation": organisation.name},
        link=reverse("portal:organisation_members", args=[organisation.pk]), exclude=user)
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, by: User, approve: bool) -> JoinRequest:
    # Claim the row only while it is still pending, so two admins cannot both decide it.
    status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    claimed = JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequest.Status.PENDING
    ).update(status=status, decided_by=by, decided_at=timezone.now())
    if not claimed:
        raise ValidationError(_("This request has already been answered."), code="decided")
    if approve:
        Membership.objects.get_or_create(user=join_request.user,
                                         organisation=join_request.organisation)
    join_request.refresh_from_db()
    return join_request


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str) -> Membership:
    if role == Membership.Role.MEMBER and _is_last_admin(membership):
        raise ValidationError(_("The organisation needs at least one administrator."),
                              code="last_admin")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Leaving or being removed. The organisation and its data stay."""
    others = Membership.objects.filter(organisation=membership.organisation).exclude(
        pk=membership.pk)
    if _is_last_admin(membership) and others.exists():
        raise ValidationError(
            _("You are the only administrator. Make another member administrator first."),
            code="last_admin")
    membership.delete()


def _is_last_admin(membership: Membership) -> bool:
    return membership.role == Membership.Role.ADMIN and not Membership.objects.filter(
        organisation=membership.organisation, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk).exists()


def user_language_set(*, user: User, language: str) -> User:
    """Remembers the language the user chose; their e-mails are written in it."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Unknown language.")})
    User.objects.filter(pk=user.pk).update(language=language)
    user_forget(user.pk)  # an UPDATE sends no signal
    user.language = language
    return user


def account_export(*, user: User) -> dict:
    """Everything the portal holds about the person (GDPR art. 15 and 20), as plain data."""
    from allauth.account.models import EmailAddress

    return {
        "user": {"email": user.email, "full_name": user.full_name, "phone": user.phone,
                 "language": user.language,
                 "date_joined": user.date_joined.isoformat(),
                 "last_login": user.last_login.isoformat() if user.last_login else None},
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "memberships": [
            {"organisation": m.organisation.name, "orgnr": m.organisation.orgnr,
             "role": m.role, "since": m.created_at.isoformat()}
            for m in user.memberships.select_related("organisation")
        ],
        "join_requests": [
            {"organisation": r.organisation.name, "status": r.status,
             "created_at": r.created_at.isoformat()}
            for r in user.join_requests.select_related("organisation")
        ],
        "organisations_with_you_as_contact": [
            {"organisation": o.name, "orgnr": o.orgnr, "contact_name": o.contact_name,
             "contact_email": o.contact_email, "contact_phone": o.contact_phone}
            for o in _organisations_with_contact(user)
        ],
        "two_factor_methods": [
            {"type": a.type, "created_at": a.created_at.isoformat(),
             "last_used_at": a.last_used_at.isoformat() if a.last_used_at else None}
            for a in Authenticator.objects.filter(user=user)
        ],
        "api_tokens": [
            {"name": t.name, "organisation": t.organisation.name, "prefix": t.prefix,
             "created_at": t.created_at.isoformat(),
             "expires_at": t.expires_at.isoformat() if t.expires_at else None,
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
            for t in user.api_tokens.select_related("organisation")
        ],
        "notifications": [
            {"kind": n.kind, "text": notification_text(n), "link": n.link,
             "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in user.notifications.order_by("created_at", "pk")
        ],
        "notification_preferences": preferences_for_user(user=user),
        # ID-porten and any other identity provider: what it told us of the person.
        "sign_in_connections": [
            {"provider": account.provider, "uid": account.uid,
             "claims": account.extra_data, "connected_at": account.date_joined.isoformat(),
             "last_login": account.last_login.isoformat() if account.last_login else None}
            for account in SocialAccount.objects.filter(user=user)
        ],
        # What the person wrote, answered and decided, from every app (needs, offers, matching).
        **personal_data_for(user),
    }


def _organisations_with_contact(user: User):
    """Organisations that name the person as their contact, by any of their e-mail addresses."""
    from allauth.account.models import EmailAddress

    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    matches = Q()
    for email in emails:
        matches |= Q(contact_email__iexact=email)
    return list(Organisation.objects.filter(matches).order_by("pk"))


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Deletes the person; what they wrote for their organisation stays, without their name.

    Refused while they are the only administrator of an organisation with other members, so no
    organisation is left without someone who can manage it.
    """
    for membership in user.memberships.select_related("organisation"):
        others = Membership.objects.filter(organisation=membership.organisation).exclude(
            user=user)
        if _is_last_admin(membership) and others.exists():
            raise ValidationError(
                _("You are the only administrator of %(name)s. Make another member "
                  "administrator before deleting your account.")
                % {"name": membership.organisation.name}, code="last_admin")
    # The organisation and its needs stay; the person's name, e-mail and phone as its contact
    # go with them (an administrator fills in a new contact).
    for organisation in _organisations_with_contact(user):
        organisation.contact_name = organisation.contact_email = organisation.contact_phone = ""
        organisation.save(update_fields=["contact_name", "contact_email", "contact_phone",
                                         "updated_at"])
    user.delete()
