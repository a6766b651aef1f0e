"""Listens to the needs and offers signals and queues matching work on transaction commit.

On commit, so a worker never sees a row the request has not saved yet, and a rolled-back
change queues nothing. If the broker is down the change stays saved and the sweep catches up.
"""

from django.dispatch import receiver

from needs.signals import need_changed, need_submitted, need_withdrawn
from offers.signals import offer_archived, offer_changed, offer_published
from portal.celery import enqueue_on_commit

from . import tasks


@receiver(need_submitted)
@receiver(need_changed)
def _need_saved(sender, need_id: int, **kwargs) -> None:
    enqueue_on_commit(tasks.match_need, need_id)


@receiver(need_withdrawn)
def _need_withdrawn(sender, need_id: int, **kwargs) -> None:
    enqueue_on_commit(tasks.retire_need, need_id)


@receiver(offer_published)
@receiver(offer_changed)
@receiver(offer_archived)
def _offer_saved(sender, offer_id: int, **kwargs) -> None:
    enqueue_on_commit(tasks.match_offer, offer_id)
