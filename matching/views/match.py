"""The adviser's match page: the score explained, its history, and the actions on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.filter_forms import (
    prefilled_fields_html,
    reference_memo,
    reference_names,
    reference_version,
    unbound_fields_html,
)

from .. import match_page, selectors, services
from ..engine import bands
from ..engine.explain import explanation_parts
from ..forms import MatchActionForm, MatchNoteForm
from ..models import Match, MatchingSettings
from ._common import explain, offer_url, status_label

COMPONENTS = ["topic", "level", "format", "geography", "timing", "cost", "capacity"]


def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else gettext("That did not work.")


def _component_labels() -> dict[str, str]:
    return {"topic": gettext("Topic"), "level": gettext("Level"), "format": gettext("Format"),
            "geography": gettext("Distance"), "timing": gettext("Timing"),
            "cost": gettext("Cost"), "capacity": gettext("Capacity")}


def _action_labels() -> dict[str, str]:
    return {"approve": gettext("Approve"), "propose": gettext("Propose to the business"),
            "enroll": gettext("Mark as enrolled"), "dismiss": gettext("Dismiss"),
            "reopen": gettext("Back to suggested"), "accept": gettext("Accepted by the business")}


def _component_basis() -> tuple[dict[str, float], float, dict[str, str]]:
    """The weights, their sum and the components' labels: they depend only on the settings
    and the language, so they are kept per process with the reference data (whose version a
    saved MatchingSettings bumps, `matching.apps`); the settings are read, never saved here."""
    settings_row = MatchingSettings.current()
    weights = {name: getattr(settings_row, f"weight_{name}", 0.0) for name in COMPONENTS}
    return weights, sum(weights.values()) or 1.0, _component_labels()


def _components(match: Match, version: float) -> list[dict]:
    weights, total, labels = reference_memo(("match-components",), _component_basis,
                                            version=version)
    components = match.components or {}
    names = COMPONENTS + sorted(set(components) - set(COMPONENTS))
    rows = []
    for name in names:
        value = float(components.get(name, 0.0) or 0.0)
        weight = weights.get(name, 0.0)
        rows.append({"name": name, "label": labels.get(name, name), "value": round(value * 100),
                     "weight": weight, "points": round(value * weight / total * 100, 1)})
    return rows


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = match_page.match_page_for_adviser(user=request.user, pk=pk)
    return _render_match(request, match)


def _page_match(request: HttpRequest, match: Match) -> Match:
    """A form's match again as the page reads it (with the registered interest), to show
    the page with the form's errors."""
    return match_page.match_page_for_adviser(user=request.user, pk=match.pk)


def _render_match(request, match, *, action_form=None, note_form=None, status=200):
    version = reference_version()  # one read of the shared cache for the whole page
    events = match_page.match_history(match.pk)
    for event in events:
        event["from_label"] = status_label(event["from_status"]) if event["from_status"] else "–"
        event["to_label"] = status_label(event["to_status"])
    actions, labels = services.available_actions(match), _action_labels()
    parts = explanation_parts(match.reasons or [])
    need, names = match.need, reference_names(version=version)
    area_label = names.areas.get(need.area_id, "")
    interest_at = match.registered_interest_at
    return render(request, "matching/match_detail.html", {
        "match": match,
        "need_area_label": area_label,
        "need_name": need.title or f"{area_label} ({need.participants})",  # as `str(need)`
        "business_place": names.municipalities.get(need.organisation.municipality_id, ""),
        "offer_place": names.municipalities.get(match.offer.municipality_id, ""),
        "offer_url": offer_url(match.offer_id),
        # The one-line explanation shows only when the reasons do not split into the two lists.
        "explanation": "" if parts["fits"] or parts["misfits"] else explain(match),
        "explanation_parts": parts,
        "band": bands.band_for(match.score), "band_label": bands.band_label(match.score),
        "components": _components(match, version),
        "events": events,
        "actions": actions,
        "action_buttons": [(action, labels.get(action, "")) for action in actions],
        "can_decline": match.can_move_to(Match.Status.DECLINED),
        "interest": {"created_at": interest_at} if interest_at else None,
        "action_form": action_form,  # bound, with its errors (a failed POST), else None
        # Unbound, the comment box and the list of reasons are the same on every match, and so
        # is an empty note.
        "action_fields": prefilled_fields_html(action_form, "note", "reason") if action_form
        else unbound_fields_html(MatchActionForm, "note", "reason"),
        "note_fields": _note_fields(match, note_form),
    }, status=status)


def _note_fields(match: Match, note_form: MatchNoteForm | None) -> dict:
    if note_form is None and not match.adviser_note:
        return unbound_fields_html(MatchNoteForm, "adviser_note")
    return prefilled_fields_html(note_form or MatchNoteForm(instance=match), "adviser_note")


@login_required
@require_POST
def match_transition(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for_adviser(user=request.user, pk=pk)
    form = MatchActionForm(request.POST)
    if not form.is_valid():
        return _render_match(request, _page_match(request, match), action_form=form,
                             status=400)
    action = form.cleaned_data["action"]
    try:
        if action == "decline":  # recorded by the adviser on the business's behalf
            services.match_decline(match_id=match.pk, reason=form.cleaned_data["reason"],
                                   note=form.cleaned_data["note"], by=request.user)
        else:
            _to, service = services.ADVISER_ACTIONS[action]
            service(match_id=match.pk, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, gettext("The match was updated."))
    return redirect("matching:match_detail", pk=match.pk)


@login_required
@require_POST
def match_note(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for_adviser(user=request.user, pk=pk)
    form = MatchNoteForm(request.POST, instance=match)
    if not form.is_valid():
        return _render_match(request, _page_match(request, match), note_form=form,
                             status=400)
    services.match_set_note(match_id=match.pk, note=form.cleaned_data["adviser_note"])
    messages.success(request, gettext("The note was saved."))
    return redirect("matching:match_detail", pk=match.pk)
