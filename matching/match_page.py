"""What the adviser's match page reads: the match with its need, business, offer and
provider, and its history, each from one SQL compiled once per process
(`portal.compiled_queries`); the views of the page are in `matching.views.match`."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import Http404

from needs.models import Need
from offers.models import Offer
from portal import access
from portal.compiled_queries import values_rows_by_id
from portal.models import Organisation, User

from .models import Match, MatchEvent, OfferInterest
from .selectors import MATCH_MUNICIPALITY

# What the match page shows: a hundred and fifty columns of six tables cost more to select and
# build than the rest of the page's queries. The area's label and the places' names come from
# the kept reference data (`_render_match`), not three more joins.
MATCH_PAGE_FIELDS = (
    "score", "components", "reasons", "status", "is_current", "adviser_note",
    "response_reason", "need__title", "need__participants", "need__level", "need__area_id",
    "need__earliest_start", "need__latest_start", "need__description",
    "need__organisation__name", "need__organisation__contact_name",
    "need__organisation__contact_email", "need__organisation__municipality_id",
    "offer__title", "offer__level", "offer__format", "offer__start_date", "offer__price_nok",
    "offer__provider__name", "offer__municipality_id",
)

# Where each column of `match_page_for_adviser` goes: the longest prefix first.
_MATCH_PAGE_MODELS = (("need__organisation__", Organisation), ("offer__provider__", Organisation),
                      ("need__", Need), ("offer__", Offer), ("", Match))
_MATCH_PAGE_PARENTS = {"need__organisation__": ("need__", "organisation_id"),
                       "offer__provider__": ("offer__", "provider_id"),
                       "need__": ("", "need_id"), "offer__": ("", "offer_id")}


def match_page_for_adviser(*, user: User, pk: int) -> Match:
    """A match the adviser may handle (outside their municipality scope a 404), as
    `selectors.match_for_adviser` reads it with these fields and its need's business and
    offer's provider, but from one SQL for every match in the scope, compiled once per
    process: building and compiling that query cost more than the rest of the page's
    queries. The match, its need with its business and its offer with its provider hold
    `MATCH_PAGE_FIELDS` (the others are deferred, loaded if something asks);
    `registered_interest_at`: when the business registered interest in the offer ("Meld
    interesse"), or None, read in the same SQL."""
    access.require_adviser(user)
    names = ("pk", "need_id", "offer_id", "need__organisation_id", "offer__provider_id",
             *MATCH_PAGE_FIELDS)
    interest = OfferInterest.objects.filter(
        organisation_id=OuterRef("need__organisation_id"), offer_id=OuterRef("offer_id"))
    rows = values_rows_by_id(
        ("match-page", access.adviser_scope(user)),
        lambda match_id: access.restrict_to_scope(Match.objects.filter(pk=match_id), user,
                                                  MATCH_MUNICIPALITY).values(
            *names, registered_interest_at=Subquery(interest.values("created_at")[:1])), pk)
    if not rows:
        raise Http404
    interest_at = rows[0].pop("registered_interest_at")
    by_prefix: dict[str, dict] = {prefix: {} for prefix, _model in _MATCH_PAGE_MODELS}
    for name, value in rows[0].items():
        prefix = next(p for p, _model in _MATCH_PAGE_MODELS if name.startswith(p))
        by_prefix[prefix]["id" if name == "pk" else name[len(prefix):]] = value
    for prefix, (parent, attname) in _MATCH_PAGE_PARENTS.items():
        by_prefix[prefix]["id"] = by_prefix[parent][attname]
    instances = {prefix: _from_values(model, by_prefix[prefix])
                 for prefix, model in _MATCH_PAGE_MODELS}
    instances["need__"].organisation = instances["need__organisation__"]
    instances["offer__"].provider = instances["offer__provider__"]
    match = instances[""]
    match.need, match.offer = instances["need__"], instances["offer__"]
    match.registered_interest_at = interest_at
    return match


def _from_values(model, values: dict):
    """An instance as the ORM builds one from these columns (by attname); the others are
    deferred."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", fields, [values[name] for name in fields])


_HISTORY_VALUES = ("created_at", "from_status", "to_status", "note", "actor__full_name",
                   "actor__email")


def match_history(match_id: int) -> list[dict]:
    """The match's events, oldest first, as plain values: `created_at`, `from_status`,
    `to_status`, `note`, and `actor` as `str(user)` ("" for the system). One SQL for every
    match, compiled once per process (`portal.compiled_queries`)."""
    rows = values_rows_by_id(("match-history",), lambda pk: MatchEvent.objects.filter(
        match_id=pk).values(*_HISTORY_VALUES), match_id)
    for row in rows:
        full_name, email = row.pop("actor__full_name"), row.pop("actor__email")
        row["actor"] = full_name or email or ""
    return rows
