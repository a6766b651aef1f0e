"""Matching pages, split by audience. Re-exported so `matching.views.<name>` stays stable."""

from .adviser import (  # noqa: F401
    adviser_home,
    cohort_detail,
    cohort_list,
    cohort_send,
    gap_report,
    gap_report_csv,
    match_detail,
    match_note,
    match_transition,
    matching_settings,
    rematch_now,
)
from .business import business_proposals, proposal_accept, proposal_decline  # noqa: F401
from .provider import provider_cohorts, provider_request  # noqa: F401
from .weights import apply_tuned_weights  # noqa: F401
