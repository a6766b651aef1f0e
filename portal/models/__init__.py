"""Shared domain: accounts, organisations and memberships, reference data."""

from .accounts import User
from .jobs import Job
from .notifications import Notification, NotificationPreference
from .organisations import JoinRequest, Membership, Organisation
from .reference import CompetenceArea, Industry, Municipality, MunicipalityAlias

__all__ = [
    "CompetenceArea",
    "Industry",
    "Job",
    "JoinRequest",
    "Membership",
    "Municipality",
    "MunicipalityAlias",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "User",
]
