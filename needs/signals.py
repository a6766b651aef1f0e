"""Domain signals of the needs app. `matching` listens; this app never imports `matching`.

Each is sent with `need_id=<pk>` after the change is saved (receivers queue work on commit).
"""

from django.dispatch import Signal

need_submitted = Signal()  # a need became submitted
need_changed = Signal()  # a submitted need was edited
need_withdrawn = Signal()  # a need was withdrawn
