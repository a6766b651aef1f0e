"""Shared domain: accounts, organisations and memberships, reference data, uploads."""

from .accounts import User
from .jobs import Job
from .notifications import Notification, NotificationPreference
from .organisations import JoinRequest, Membership, Organisation
from .reference import CompetenceArea, Industry, Municipality, MunicipalityAlias
from .tokens import ApiToken
from .uploads import SpreadsheetUpload
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage

__all__ = [
    "ApiToken",
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
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookMessage",
]
