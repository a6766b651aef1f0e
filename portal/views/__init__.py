"""Portal pages: the personal pages and the organisation pages. Re-exported so
`portal.views.<name>` stays stable."""

from .organisations import (  # noqa: F401
    claim_decide,
    claim_list,
    join_request_decide,
    membership_change,
    organisation_join,
    organisation_members,
    organisation_profile,
    organisation_register,
    organisation_start,
    organisation_switch,
)
from .pages import (  # noqa: F401
    account,
    account_delete,
    account_export,
    dashboard,
    home,
    language_set,
)
