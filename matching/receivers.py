"""Listens to the needs and offers signals and queues matching work on transaction commit.

On commit, so a worker never sees a row the request has not saved yet, and a rolled-back
change queues nothing. If the broker is down the change stays saved and the sweep catches up.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from needs.signals import need_changed, need_submitted, need_withdrawn
from offers.signals import offer_archived, offer_changed, offer_published
from portal.celery import enqueue_on_commit
from portal.filter_forms import reference_changed

from . import selectors, tasks
from .models import Cohort, CohortNeed, Match, MatchEvent, MatchingSettings


@receiver(post_save, sender=MatchingSettings)
@receiver(post_delete, sender=MatchingSettings)
def _settings_changed(sender, created: bool = False, **kwargs) -> None:
    """The match page keeps the weights with the reference data (`_render_match`): a change
    shows at once. The row's creation by `MatchingSettings.current()`, with the defaults,
    changes nothing kept."""
    if not created:
        reference_changed()


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


@receiver(post_save, sender=MatchEvent)
@receiver(post_save, sender=Match)
@receiver(post_delete, sender=Match)
def _match_moved(sender, **kwargs) -> None:
    """An adviser's decision shows in the queue's counts at once (they are kept a minute)."""
    selectors.match_counts_forget()
    transaction.on_commit(selectors.match_counts_forget)


# --- the public barometer's cache: any change to what it counts makes a new version --------

from needs.models import Need, SurveyResponse, SurveyRound  # noqa: E402
from portal.models import Organisation  # noqa: E402

from .barometer import cache as barometer_cache  # noqa: E402


@receiver(post_save, sender=Need)
@receiver(post_delete, sender=Need)
@receiver(post_save, sender=SurveyResponse)
@receiver(post_delete, sender=SurveyResponse)
def _barometer_round_changed(sender, instance, **kwargs) -> None:
    # On commit: a rebuild started now must not read rows that may still roll back. A need
    # or an answer belongs to one round: only that round's figures are protected again.
    round_id = instance.round_id
    transaction.on_commit(lambda: barometer_cache.invalidate(round_id))


@receiver(post_save, sender=Match)
@receiver(post_delete, sender=Match)
@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=SurveyRound)
@receiver(post_delete, sender=SurveyRound)
def _barometer_input_changed(sender, **kwargs) -> None:
    transaction.on_commit(barometer_cache.invalidate)


# --- what providers see of a cohort's members (`selectors.provider_request_summaries`) --------


@receiver(post_save, sender=Need)
@receiver(post_delete, sender=Need)
@receiver(post_save, sender=SurveyResponse)
@receiver(post_delete, sender=SurveyResponse)
@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=Cohort)
@receiver(post_save, sender=CohortNeed)
def _cohort_members_changed(sender, **kwargs) -> None:
    # A need's participants or answer, an answer's consent, a business's name or contact, a
    # member added by hand. (No receiver on CohortNeed's delete: it would make a rebuild's
    # bulk delete fetch every row; `store_cohorts` says so itself, and the admin's inline
    # delete comes with the cohort's save.)
    selectors.cohort_members_changed()


@receiver(need_changed)
def _need_bulk_changed(sender, need_id: int, **kwargs) -> None:
    """An import's `bulk_update` saves no need; it sends this for each one it changed."""
    selectors.cohort_members_changed()
