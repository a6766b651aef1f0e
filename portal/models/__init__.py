"""Shared domain: accounts, organisations and memberships, reference data, uploads."""

from .accounts import User
from .jobs import Job
from .notifications import Notification, NotificationPreference
from .organisations import JoinRequest, Membership, Organisation
from .reference import CompetenceArea, Industry, Municipality, MunicipalityAlias
from .uploads import SpreadsheetUpload

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
    "SpreadsheetUpload",
    "User",
]
