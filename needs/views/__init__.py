"""Needs pages, split by audience. Re-exported so `needs.views.<name>` stays stable."""

from .adviser import (  # noqa: F401
    adviser_export,
    adviser_list,
    import_confirm,
    import_preview,
    import_template,
    import_upload,
    round_close,
    round_create,
    round_edit,
    round_list,
    round_open,
)
from .business import (  # noqa: F401
    area_search,
    business_home,
    need_create,
    need_detail,
    need_edit,
    need_submit,
    need_withdraw,
)
from .survey import (  # noqa: F401
    survey_need_add,
    survey_need_delete,
    survey_need_edit,
    survey_start,
    survey_step,
)
