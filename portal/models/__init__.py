"""Shared domain: accounts, organisations and memberships, reference data."""

from .accounts import User
from .organisations import JoinRequest, Membership, Organisation
from .reference import CompetenceArea, Industry, Municipality, MunicipalityAlias
from .tokens import ApiToken
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage

__all__ = [
    "ApiToken",
    "CompetenceArea",
    "Industry",
    "JoinRequest",
    "Membership",
    "Municipality",
    "MunicipalityAlias",
    "Organisation",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookMessage",
]
