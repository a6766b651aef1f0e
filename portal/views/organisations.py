"""Registering, joining and managing an organisation (orgnr first, prefilled from Brønnøysund)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, brreg, services
from ..forms import JoinRequestForm, OrganisationForm, OrgnrForm
from ..models import JoinRequest, Membership, Organisation


def _add_form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def organisation_start(request):
    """Step 1: the organisation number decides whether the user registers or asks to join."""
    form = OrgnrForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        orgnr = form.cleaned_data["orgnr"]
        existing = Organisation.objects.filter(orgnr=orgnr).first()
        if existing and existing.kind != Organisation.Kind.COUNTY and not (
                existing.memberships.exists()):
            # Registered once, but its claim was revoked: the first to ask claims it again.
            try:
                services.organisation_claim(user=request.user, organisation=existing)
            except ValidationError as error:
                _add_form_error(form, error)
            else:
                request.session[access.ACTIVE_ORG_SESSION_KEY] = existing.pk
                messages.success(request, _("You are now the administrator of %(name)s. The "
                                            "county confirms this shortly.")
                                 % {"name": existing.name})
                return redirect("portal:dashboard")
        elif existing:
            messages.info(request, _("%(name)s is already registered. Ask its administrator "
                                     "to let you join.") % {"name": existing.name})
            return redirect("portal:organisation_join", orgnr=orgnr)
        query = urlencode({"orgnr": orgnr, "kind": form.cleaned_data["kind"]})
        return redirect(f"{reverse('portal:organisation_register')}?{query}")
    return render(request, "portal/organisation_start.html", {
        "form": form, "organisations": access.organisations_for_user(user=request.user),
    })


def _registry_initial(entity: brreg.Entity, unit: brreg.Entity | None) -> dict:
    source = unit or entity
    municipality = services.municipality_for_code(source.address.municipality_code)
    return {
        "name": entity.name, "address": source.address.street,
        "postal_code": source.address.postal_code, "postal_place": source.address.postal_place,
        "municipality": municipality.pk if municipality else None,
        "industry_code": source.industry_code or entity.industry_code,
        "employees": source.employees if unit else entity.employees,
    }


@login_required
def organisation_register(request):
    """Step 2: details prefilled from Enhetsregisteret (or typed in when it cannot answer)."""
    params = request.POST if request.method == "POST" else request.GET
    start = OrgnrForm({"orgnr": params.get("orgnr", ""), "kind": params.get("kind", "")})
    if not start.is_valid():
        return redirect("portal:organisation_start")
    orgnr, kind = start.cleaned_data["orgnr"], start.cleaned_data["kind"]
    if Organisation.objects.filter(orgnr=orgnr).exists():
        return redirect("portal:organisation_join", orgnr=orgnr)

    lookup = brreg.lookup(orgnr)
    unit = None
    if lookup.entity:
        unit = next((u for u in lookup.entity.sub_units if u.orgnr == params.get("unit")), None)
    initial = _registry_initial(lookup.entity, unit) if lookup.entity else {}
    initial.setdefault("contact_name", request.user.full_name)
    initial.setdefault("contact_email", request.user.email)

    form = OrganisationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(
                user=request.user, orgnr=orgnr, kind=kind,
                parent_orgnr="", **form.cleaned_data,
            )
        except ValidationError as error:
            _add_form_error(form, error)
        else:
            request.session[access.ACTIVE_ORG_SESSION_KEY] = organisation.pk
            messages.success(request, _("%(name)s is registered. Welcome! The county confirms "
                                        "that you may act for it; until then no course "
                                        "proposals are sent.") % {"name": organisation.name})
            return redirect("portal:dashboard")
    return render(request, "portal/organisation_register.html", {
        "form": form, "orgnr": orgnr, "kind": kind, "lookup": lookup,
        "unit": unit.orgnr if unit else "",
    })


@login_required
def organisation_join(request, orgnr: str):
    organisation = get_object_or_404(Organisation.objects.exclude(kind=Organisation.Kind.COUNTY),
                                     orgnr=orgnr)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(user=request.user, organisation=organisation,
                                         message=form.cleaned_data["message"])
        except ValidationError as error:
            _add_form_error(form, error)
        else:
            messages.success(request, _("Your request has been sent. You will get access when "
                                        "an administrator approves it."))
            return redirect("portal:organisation_start")
    return render(request, "portal/organisation_join.html",
                  {"form": form, "organisation": organisation})


@login_required
def organisation_members(request, pk: int):
    organisation = access.organisation_for_member(user=request.user, pk=pk)
    is_admin = access.is_org_admin(request.user, organisation)
    return render(request, "portal/organisation_members.html", {
        "organisation": organisation,
        "is_admin": is_admin,
        "memberships": organisation.memberships.select_related("user").order_by("user__email"),
        "join_requests": organisation.join_requests.filter(
            status=JoinRequest.Status.PENDING).select_related("user") if is_admin else [],
        "roles": Membership.Role.choices,
    })


@login_required
def organisation_profile(request, pk: int):
    organisation = access.organisation_for_member(user=request.user, pk=pk)
    # Members see the profile; only administrators change it (the contact e-mail included,
    # which providers see under named consent).
    can_edit = access.is_org_admin(request.user, organisation)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("The organisation's details are saved."))
        return redirect("portal:organisation_profile", pk=organisation.pk)
    return render(request, "portal/organisation_profile.html",
                  {"form": form, "organisation": organisation, "can_edit": can_edit})


@login_required
@require_POST
def join_request_decide(request, pk: int):
    join_request = access.join_request_for_admin(user=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(join_request=join_request, by=request.user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s can now use the portal for you.") % {
            "user": join_request.user} if approve else _("The request was rejected."))
    return redirect("portal:organisation_members", pk=join_request.organisation_id)


@login_required
@require_POST
def membership_change(request, pk: int):
    """Admins change a member's role or remove them; anyone may remove themselves (leave)."""
    membership = access.membership_for_member(user=request.user, pk=pk)
    organisation = membership.organisation
    leaving = membership.user_id == request.user.pk
    if not (leaving or access.is_org_admin(request.user, organisation)):
        raise PermissionDenied  # a fellow member, not an admin: the membership is no secret
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.membership_remove(membership=membership)
        elif action in Membership.Role.values and not leaving:
            services.membership_set_role(membership=membership, role=action)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:organisation_members", pk=organisation.pk)
    if leaving and action == "remove":
        request.session.pop(access.ACTIVE_ORG_SESSION_KEY, None)
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("portal:dashboard")
    messages.success(request, _("The membership is updated."))
    return redirect("portal:organisation_members", pk=organisation.pk)


@login_required
@require_POST
def organisation_switch(request):
    """Chooses which of the user's organisations the pages act for."""
    organisation = access.organisation_for_member(user=request.user,
                                                pk=request.POST.get("organisation"))
    request.session[access.ACTIVE_ORG_SESSION_KEY] = organisation.pk
    return redirect("portal:dashboard")


@login_required
def claim_list(request):
    """The adviser's list of organisation numbers waiting for confirmation, with who claims
    them and who else asked to join."""
    pending = (access.pending_claims_for_adviser(user=request.user)
               .filter(memberships__isnull=False).distinct().order_by("created_at")
               .prefetch_related("memberships__user", "join_requests__user"))
    return render(request, "portal/claim_list.html", {"organisations": pending})


@login_required
@require_POST
def claim_decide(request, pk: int):
    organisation = access.claim_for_adviser(user=request.user, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.organisation_claim_decide(organisation=organisation, by=request.user,
                                           confirm=confirm)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, (_("%(name)s is confirmed.") if confirm else _(
            "The claim on %(name)s is revoked; its members no longer have access."))
            % {"name": organisation.name})
    return redirect("portal:claim_list")
