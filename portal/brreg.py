"""A small client for Brønnøysundregistrene's open Enhetsregisteret API.

Used only to prefill forms: every failure (unknown number, removed entity, timeout, network
down, a 5xx, malformed JSON) yields None or an empty list, and the user types the details in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import requests
from django.conf import settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Address:
    street: str = ""
    postal_code: str = ""
    postal_place: str = ""
    municipality_code: str = ""


@dataclass(frozen=True)
class Entity:
    orgnr: str
    name: str
    address: Address
    industry_code: str = ""
    employees: int | None = None
    organisation_form: str = ""
    sub_units: list[Entity] = field(default_factory=list)


@dataclass(frozen=True)
class Lookup:
    """What the registry said. `status`: found, unknown, removed or unavailable."""

    status: str
    entity: Entity | None = None


def _address(data: dict | None) -> Address:
    data = data or {}
    lines = [line for line in data.get("adresse") or [] if line]
    return Address(
        street=", ".join(lines),
        postal_code=data.get("postnummer") or "",
        postal_place=(data.get("poststed") or "").title(),
        municipality_code=data.get("kommunenummer") or "",
    )


def _entity(data: dict, address_key: str) -> Entity:
    employees = data.get("antallAnsatte")
    return Entity(
        orgnr=str(data.get("organisasjonsnummer", "")),
        name=data.get("navn") or "",
        address=_address(data.get(address_key) or data.get("postadresse")),
        industry_code=(data.get("naeringskode1") or {}).get("kode", ""),
        # Small units may withhold the head count; "0 or withheld" is stored as unknown.
        employees=employees if isinstance(employees, int) and employees > 0 else None,
        organisation_form=(data.get("organisasjonsform") or {}).get("kode", ""),
    )


def _get(path: str, **params) -> requests.Response | None:
    url = f"{settings.BRREG_BASE_URL.rstrip('/')}/{path.lstrip('/')}"
    try:
        return requests.get(url, params=params or None, timeout=settings.BRREG_TIMEOUT_SECONDS,
                            headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        log.warning("Enhetsregisteret unreachable (%s): %s", url, exc)
        return None


def lookup(orgnr: str) -> Lookup:
    """The entity with its sub-units, or why there is none."""
    response = _get(f"enheter/{orgnr}")
    if response is None or response.status_code >= 500:
        return Lookup("unavailable")
    if response.status_code == 404:
        return Lookup("unknown")
    if response.status_code == 410:
        return Lookup("removed")
    try:
        data = response.json()
    except ValueError:
        return Lookup("unavailable")
    if response.status_code != 200 or data.get("slettedato"):
        return Lookup("removed" if data.get("slettedato") else "unavailable")
    entity = _entity(data, "forretningsadresse")
    return Lookup("found", Entity(**{**entity.__dict__, "sub_units": sub_units(orgnr)}))


def sub_units(orgnr: str) -> list[Entity]:
    response = _get("underenheter", overordnetEnhet=orgnr, size=100)
    if response is None or response.status_code != 200:
        return []
    try:
        units = response.json().get("_embedded", {}).get("underenheter", [])
    except ValueError:
        return []
    return [_entity(unit, "beliggenhetsadresse") for unit in units]
