"""Domain signals of the offers app. `matching` listens; this app never imports `matching`.

Each is sent with `offer_id=<pk>` after the change is saved (receivers queue work on commit).
"""

from django.dispatch import Signal

offer_published = Signal()
offer_changed = Signal()  # a published offer was edited
offer_archived = Signal()
