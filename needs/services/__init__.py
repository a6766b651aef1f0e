"""Writes of the needs app. Split by meaning; import from `needs.services` as before."""

from .imports import need_import_apply
from .needs import (
    need_create,
    need_delete_draft,
    need_mark_covered,
    need_mark_in_brokering,
    need_set_outcome,
    need_submit,
    need_update,
    need_withdraw,
)
from .receipt import survey_receipt_send
from .rounds import survey_round_close, survey_round_create, survey_round_open, survey_round_update
from .survey import (
    organisation_profile_update,
    survey_response_save_step,
    survey_response_start,
    survey_response_submit,
)

__all__ = [
    "need_import_apply",
    "need_create",
    "need_delete_draft",
    "need_mark_covered",
    "need_mark_in_brokering",
    "need_set_outcome",
    "need_submit",
    "need_update",
    "need_withdraw",
    "organisation_profile_update",
    "survey_receipt_send",
    "survey_response_save_step",
    "survey_response_start",
    "survey_response_submit",
    "survey_round_close",
    "survey_round_create",
    "survey_round_open",
    "survey_round_update",
]
