"""Meeting pages, split by audience. Re-exported so `matching.meetings.views.<name>` is stable."""

from .adviser import (  # noqa: F401
    join_decide,
    meeting_add_invitees,
    meeting_cancel,
    meeting_create,
    meeting_edit,
    meeting_invite,
    meeting_list,
    meeting_manage,
    meeting_outcome,
    meeting_schedule,
)
from .participant import (  # noqa: F401
    meeting_agenda,
    meeting_detail,
    meeting_ics,
    meeting_join,
    meeting_reply,
    my_meetings,
    slot_answer,
    slot_request,
    token_reply,
    upcoming,
)
