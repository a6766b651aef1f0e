"""Matching pages, split by audience. Re-exported so `matching.views.<name>` stays stable."""

from .adviser import (  # noqa: F401
    adviser_home,
    gap_report,
    gap_report_csv,
    match_bulk,
    matching_settings,
    rematch_now,
)
from .business import (  # noqa: F401
    business_proposals,
    offer_interest,
    proposal_accept,
    proposal_decline,
)
from .cohorts import cohort_detail, cohort_list, cohort_send  # noqa: F401
from .match import match_detail, match_note, match_transition  # noqa: F401
from .provider import provider_cohorts, provider_demand, provider_request  # noqa: F401
from .weights import apply_tuned_weights  # noqa: F401
