"""Shared domain: accounts, organisations and memberships, reference data, uploads."""

from .accounts import User
from .organisations import JoinRequest, Membership, Organisation
from .reference import CompetenceArea, Industry, Municipality, MunicipalityAlias
from .uploads import SpreadsheetUpload

__all__ = [
    "CompetenceArea",
    "Industry",
    "JoinRequest",
    "Membership",
    "Municipality",
    "MunicipalityAlias",
    "Organisation",
    "SpreadsheetUpload",
    "User",
]
