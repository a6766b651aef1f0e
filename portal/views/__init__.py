"""Portal pages: the personal pages and the organisation pages. Re-exported so
`portal.views.<name>` stays stable."""

from .codes import codes_csv, codes_page  # noqa: F401
from .jobs import job_fragment, job_page, job_status_json  # noqa: F401
from .notifications import (  # noqa: F401
    notification_list,
    notification_read,
    notification_settings,
)
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
from .statement import accessibility_statement  # noqa: F401
from .tokens import api_token_create, api_token_revoke  # noqa: F401
from .webhooks import (  # noqa: F401
    webhook_delete,
    webhook_detail,
    webhook_list,
    webhook_resend,
    webhook_rotate,
)
