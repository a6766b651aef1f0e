"""Who matching tells what (through `portal.notifications`): advisers hear when a business
answers a proposal or a provider answers a cohort request; providers hear when a cohort in
their areas becomes an opportunity."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offers.models import Offer
from portal.models import Membership, Organisation, User
from portal.notifications import (
    adviser_users,
    advisers_for,
    notification_send_many,
    organisation_users,
)

from .models import Cohort, CohortRequest, Match

ACCEPTED = _("accepted")
DECLINED = _("declined")


def tell_advisers_about_answer(*, match: Match, by: User) -> None:
    """`by`, the business user who answered, is not told about their own answer."""
    match = Match.objects.select_related("need__organisation", "offer").get(pk=match.pk)
    answer = ACCEPTED if match.status == Match.Status.ACCEPTED else _DeclinedWith(match)
    params = {"business": match.need.organisation.name, "answer": answer,
              "offer": match.offer.title}
    notification_send_many(
        recipients=advisers_for(match.need.organisation), kind="proposal_answered", params=params,
        link=reverse("matching:match_detail", args=[match.pk]), exclude=by)


class _DeclinedWith:
    """"declined (The time does not suit us)", rendered in the recipient's language."""

    def __init__(self, match: Match) -> None:
        self.match = match

    def __str__(self) -> str:
        reason = self.match.decline_reason_display()
        return f"{DECLINED} ({reason})" if reason else str(DECLINED)


def tell_advisers_about_cohort_answer(*, request: CohortRequest, by: User) -> None:
    """`by`, the provider user who answered, is not told about their own answer."""
    # The advisers who can open the cohort: those whose scope holds one of its members.
    places = request.cohort.needs.values_list("organisation__municipality__code", flat=True)
    notification_send_many(
        recipients=adviser_users(municipalities=[code for code in places if code]),
        kind="cohort_request_answered",
        params={"provider": request.provider.name, "area": _AreaLabel(request.cohort.area),
                "answer": CohortRequest.Status(request.status).label},
        link=reverse("matching:cohort_detail", args=[request.cohort_id]), exclude=by)


class _AreaLabel:
    """An area's label in the language active when it is rendered."""

    def __init__(self, area) -> None:
        self.area = area

    def __str__(self) -> str:
        return self.area.label


def tell_providers_about_opportunities(*, keys: list[str]) -> None:
    """One notification per provider that publishes offers in the new opportunities' areas."""
    cohorts = list(Cohort.objects.filter(key__in=keys, is_current=True).select_related("area"))
    by_top: dict[str, list[Cohort]] = defaultdict(list)
    for cohort in cohorts:
        by_top[cohort.area.code.split(".", 1)[0]].append(cohort)
    if not by_top:
        return
    providers: dict[int, set[str]] = defaultdict(set)
    rows = Offer.objects.filter(status=Offer.Status.PUBLISHED).values_list(
        "provider_id", "areas__code").distinct()
    for provider_id, code in rows:
        top = (code or "").split(".", 1)[0]
        if top in by_top:
            providers[provider_id].add(top)
    # Only providers with someone to tell (one query), so a large rebuild stays cheap.
    with_people = set(Membership.objects.filter(
        organisation_id__in=providers, user__is_active=True).values_list(
        "organisation_id", flat=True))
    for provider in Organisation.objects.filter(pk__in=with_people):
        tops = sorted(providers[provider.pk])
        found = [cohort for top in tops for cohort in by_top[top]]
        notification_send_many(
            recipients=organisation_users(provider), kind="cohort_opportunity",
            params={"area": _AreaLabel(found[0].area), "count": len(found),
                    "participants": sum(cohort.participants for cohort in found)},
            link=reverse("matching:provider_cohorts"))
