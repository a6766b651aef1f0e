"""Portal pages: the personal pages and the organisation pages. Re-exported so
`portal.views.<name>` stays stable."""

from .organisations import (  # noqa: F401
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
from .tokens import api_token_create, api_token_revoke  # noqa: F401
from .webhooks import (  # noqa: F401
    webhook_delete,
    webhook_detail,
    webhook_list,
    webhook_resend,
    webhook_rotate,
)
