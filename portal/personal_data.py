"""What the portal holds about a person, gathered from every app for the GDPR export.

`portal` never imports the apps, so each app registers an exporter for what its people created
or decided (in its `AppConfig.ready`); the account export calls them all. A new model that
records a person must add itself to its app's exporter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_exporters: dict[str, Callable[[Any], dict]] = {}


def register(section: str, exporter: Callable[[Any], dict]) -> None:
    _exporters[section] = exporter


def personal_data_for(user) -> dict:
    """{section: {kind: [records]}} from every registered app, in a stable order."""
    return {section: _exporters[section](user) for section in sorted(_exporters)}


def when(value) -> str | None:
    return value.isoformat() if value else None
