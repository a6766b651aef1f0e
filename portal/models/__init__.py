"""Shared domain: accounts, organisations and memberships, reference data."""

from .accounts import User
from .organisations import Membership, Organisation
from .reference import CompetenceArea, Industry, Municipality, MunicipalityAlias

__all__ = [
    "CompetenceArea",
    "Industry",
    "Membership",
    "Municipality",
    "MunicipalityAlias",
    "Organisation",
    "User",
]
