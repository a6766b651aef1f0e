"""Telling people what happened: `notification_send(*, recipient, kind, params, link)`.

A notification is always listed in the portal (bell in the header, /notifications/); whether
it is also e-mailed at once, in the daily digest, or not at all is each person's choice per
kind, on the account page. Any app may send: register the kind in `kinds.py` (label, message
with `%(name)s` placeholders filled from `params`), then call `notification_send` from a
service; the e-mail is queued on commit, so a rolled-back change tells nobody anything.
"""

from .kinds import KINDS, NotificationKind, kind_for  # noqa: F401
from .recipients import (  # noqa: F401
    adviser_users,
    advisers_for,
    organisation_admins,
    organisation_users,
)
from .selectors import (  # noqa: F401
    notification_text,
    notifications_for_user,
    preferences_for_user,
    unread_count,
)
from .services import (  # noqa: F401
    notification_digest_send,
    notification_email_send,
    notification_mark_read,
    notification_preferences_save,
    notification_send,
    notification_send_many,
)
