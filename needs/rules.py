"""Validation rules for a need, written once and used by the forms, the services and the import.

Each rule returns messages keyed by field name, so a form shows them next to the field and
the import reports them per row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.choices import Format, Level

# A participant is either current staff to train or a person the business will recruit (who
# is then trained). So `to_train + to_recruit` may not exceed the participants, and only the
# current staff count against the business's number of employees.


def need_field_errors(
    *,
    participants: int | None,
    to_train: int | None = None,
    to_recruit: int | None = None,
    employees: int | None = None,
    earliest_start: datetime.date | None = None,
    latest_start: datetime.date | None = None,
    max_travel_km: int | None = None,
    online_only: bool = False,
    budget: Decimal | int | None = None,
    formats: list[str] | None = None,
    level: str = "",
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if participants is None or participants < 1:
        errors["participants"] = _("At least one participant is needed.")
    else:
        recruits = to_recruit or 0
        if employees is not None and participants - recruits > employees:
            errors["participants"] = _(
                "The business has %(employees)s employees; participants who are current "
                "staff cannot be more than that."
            ) % {"employees": employees}
        if to_train is not None and to_train < 0:
            errors["to_train"] = _("Enter zero or more.")
        if to_recruit is not None and to_recruit < 0:
            errors["to_recruit"] = _("Enter zero or more.")
        if (to_train or 0) + recruits > participants:
            errors["to_train"] = _(
                "Staff to train and people to recruit together cannot exceed the "
                "%(participants)s participants."
            ) % {"participants": participants}
    if earliest_start and latest_start and earliest_start > latest_start:
        errors["latest_start"] = _("The latest start cannot be before the earliest start.")
    if max_travel_km is not None and max_travel_km < 0:
        errors["max_travel_km"] = _("Travel distance cannot be negative.")
    if budget is not None and budget < 0:
        errors["budget_per_participant"] = _("The budget cannot be negative.")
    if formats is not None:
        if not formats:
            errors["formats"] = _("Choose at least one format.")
        elif any(f not in Format.values for f in formats):
            errors["formats"] = _("Unknown format.")
        elif online_only and Format.ONLINE not in formats:
            errors["formats"] = _("Online only needs the format “online”.")
    if level and level not in Level.values:
        errors["level"] = _("Unknown level.")
    return errors
