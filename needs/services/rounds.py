"""Survey rounds: an adviser creates, opens and closes them. Open means today is in the window."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needs.models import SurveyRound
from portal.models import User


def _check_dates(opens_on: datetime.date, closes_on: datetime.date) -> None:
    if opens_on > closes_on:
        raise ValidationError({"closes_on": _("A round cannot close before it opens.")})


@transaction.atomic
def survey_round_create(
    *, name: str, opens_on: datetime.date, closes_on: datetime.date, intro: str = "",
    by: User, year: int | None = None,
) -> SurveyRound:
    _check_dates(opens_on, closes_on)
    return SurveyRound.objects.create(
        name=name, year=year or opens_on.year, opens_on=opens_on, closes_on=closes_on,
        intro=intro, created_by=by,
    )


@transaction.atomic
def survey_round_update(
    *, round_id: int, name: str, opens_on: datetime.date, closes_on: datetime.date,
    intro: str = "", year: int | None = None,
) -> SurveyRound:
    _check_dates(opens_on, closes_on)
    survey_round = SurveyRound.objects.select_for_update().get(pk=round_id)
    survey_round.name = name
    survey_round.opens_on = opens_on
    survey_round.closes_on = closes_on
    survey_round.intro = intro
    survey_round.year = year or opens_on.year
    survey_round.save()
    return survey_round


@transaction.atomic
def survey_round_open(*, round_id: int) -> SurveyRound:
    """Opens the round today; keeps a later closing date, else gives it four weeks."""
    survey_round = SurveyRound.objects.select_for_update().get(pk=round_id)
    today = timezone.localdate()
    survey_round.opens_on = min(survey_round.opens_on, today)
    if survey_round.closes_on < today:
        survey_round.closes_on = today + datetime.timedelta(days=28)
    survey_round.save(update_fields=["opens_on", "closes_on"])
    return survey_round


@transaction.atomic
def survey_round_close(*, round_id: int) -> SurveyRound:
    """Closes the round as of yesterday, so it is no longer open today."""
    survey_round = SurveyRound.objects.select_for_update().get(pk=round_id)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    survey_round.closes_on = min(survey_round.closes_on, yesterday)
    survey_round.opens_on = min(survey_round.opens_on, survey_round.closes_on)
    survey_round.save(update_fields=["opens_on", "closes_on"])
    return survey_round
