"""Signal receivers of the portal app (connected in `PortalConfig.ready`): what is cached per
user — the user row (`auth_backends`), their standing (`access`) and their unread count
(`notifications`) — is dropped as soon as the rows behind it change."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import access
from .auth_backends import user_forget
from .models import Membership, Notification, Organisation, User
from .notifications.selectors import unread_count_forget


def _loaded_user(instance, field: str = "user") -> list:
    """The user object the changed row was created with, if any: the same object may be asked
    again within this request, so its per-request answers go too."""
    user = instance._state.fields_cache.get(field)
    return [user] if user is not None else []


def membership_changed(sender, instance: Membership, **kwargs) -> None:
    access.standing_forget([instance.user_id], _loaded_user(instance))


def membership_municipalities_changed(sender, instance, action: str, reverse: bool,
                                      pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # from the municipality's side, through the join table
        memberships = Membership.objects.filter(pk__in=pk_set or ())
        access.standing_forget(memberships.values_list("user_id", flat=True))
    else:
        access.standing_forget([instance.user_id], _loaded_user(instance))


def authenticator_changed(sender, instance: Authenticator, **kwargs) -> None:
    access.standing_forget([instance.user_id], _loaded_user(instance))


def organisation_changed(sender, instance: Organisation, created: bool = False,
                         **kwargs) -> None:
    if not created:  # a new organisation has no members yet; an edit may change its kind
        access.standing_forget(
            Membership.objects.filter(organisation=instance).values_list("user_id", flat=True))


def user_changed(sender, instance: User, **kwargs) -> None:
    user_forget(instance.pk)


def notification_changed(sender, instance: Notification, **kwargs) -> None:
    unread_count_forget(instance.recipient_id, _loaded_user(instance, "recipient"))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(membership_changed, sender=Membership, dispatch_uid="standing_membership")
        signal.connect(authenticator_changed, sender=Authenticator,
                       dispatch_uid="standing_authenticator")
        signal.connect(notification_changed, sender=Notification,
                       dispatch_uid="unread_notification")
        signal.connect(user_changed, sender=User, dispatch_uid="cached_user")
    post_save.connect(organisation_changed, sender=Organisation,
                      dispatch_uid="standing_organisation")
    m2m_changed.connect(membership_municipalities_changed,
                        sender=Membership.municipalities.through,
                        dispatch_uid="standing_membership_municipalities")
