"""Pages of the offers app: the public catalogue and the provider's own offers.

Every provider page starts with `require_active_organisation(request, PROVIDER)` (403 for
others) and fetches offers through `offer_for_provider_member` (404 for other providers').
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import access
from portal.models import Organisation

from . import importing, selectors, services
from .forms import CatalogueForm, ImportUploadForm, OfferForm
from .models import Offer
from .pagination import SinglePassPaginator

PAGE_SIZE = 25
PROVIDER = Organisation.Kind.PROVIDER
IMPORT_SESSION_KEY = "offers_import"


# --- Public catalogue ---------------------------------------------------------------------
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET or None, initial={"include_online": True, "sort": "relevance"})
    params = form.params()
    if not request.GET:
        params["include_online"] = True
    results = selectors.catalogue_search(params)
    page = SinglePassPaginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "offers/catalogue.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "searched": bool(request.GET),
        "active_filters": len({k for k, v in params.items() if v not in (False, None, "")}
                              - NOT_FILTERS),
    })


# Parameters that are no filter of their own: the "Filter" button counts the others.
NOT_FILTERS = {"q", "sort", "include_online", "page"}


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_public(pk)
    business = access.active_organisation(request, kind=Organisation.Kind.BUSINESS)
    return render(request, "offers/detail.html", {"offer": offer, "business": business})


# --- Provider pages -----------------------------------------------------------------------
TABS = [
    (Offer.Status.DRAFT, Offer.Status.DRAFT.label),
    (Offer.Status.PUBLISHED, Offer.Status.PUBLISHED.label),
    (Offer.Status.ARCHIVED, Offer.Status.ARCHIVED.label),
]


@login_required
def provider_home(request: HttpRequest) -> HttpResponse:
    provider = access.require_active_organisation(request, PROVIDER)
    status = request.GET.get("status") or Offer.Status.PUBLISHED
    if status not in Offer.Status.values:
        status = Offer.Status.PUBLISHED
    offers = selectors.offers_for_provider(provider=provider, status=status)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "offers/provider_home.html", {
        "provider": provider, "page": page, "status": status, "tabs": TABS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    provider = access.require_active_organisation(request, PROVIDER)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                provider=provider, data=form.service_data(), areas=form.cleaned_data["areas"],
                user=request.user, publish="publish" in request.POST,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The offer was saved."))
            return redirect("offers:edit", pk=offer.pk)
    return render(request, "offers/offer_form.html", {"form": form, "provider": provider})


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_active_organisation(request, PROVIDER)
    offer = selectors.offer_for_provider_member(request.user, pk)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(
                offer=offer, data=form.service_data(), areas=form.cleaned_data["areas"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The offer was saved."))
            return redirect("offers:edit", pk=offer.pk)
    return render(request, "offers/offer_form.html", {
        "form": form, "offer": offer, "provider": offer.provider,
    })


ACTIONS = {
    "publish": (services.offer_publish, _("The offer is published.")),
    "archive": (services.offer_archive, _("The offer is archived.")),
    "unpublish": (services.offer_unpublish, _("The offer is back to draft.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET asks for confirmation; POST does it."""
    access.require_active_organisation(request, PROVIDER)
    offer = selectors.offer_for_provider_member(request.user, pk)
    if action not in ACTIONS and action != "duplicate":
        raise Http404
    if request.method == "POST":
        try:
            if action == "duplicate":
                copy = services.offer_duplicate(offer=offer, user=request.user)
                messages.success(request, _("A draft copy was made. Check the dates."))
                return redirect("offers:edit", pk=copy.pk)
            service, done = ACTIONS[action]
            offer = service(offer=offer)
            messages.success(request, done)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("offers:edit", pk=offer.pk)
        return redirect(f"{_provider_home_url()}?status={offer.status}")
    return render(request, "offers/offer_confirm.html", {"offer": offer, "action": action})


def _provider_home_url() -> str:
    from django.urls import reverse

    return reverse("offers:provider_home")


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- Import -------------------------------------------------------------------------------
@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    access.require_active_organisation(request, PROVIDER)
    if fmt == "csv":
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            importing.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="kurs-mal.{fmt}"'
    return response


def _stored_path(provider: Organisation, token: str, filename: str) -> str:
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"offer_imports/{provider.pk}/{token}{suffix}"


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload → preview. The file is kept in storage until the provider confirms."""
    provider = access.require_active_organisation(request, PROVIDER)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        publish = form.cleaned_data["publish"]
        try:
            # An oversized upload is refused by its size, before it is read into memory.
            if upload.size > settings.IMPORT_MAX_BYTES:
                importing.reading.check_size(upload.size)
            data = upload.read()
            df = importing.read_table(data, upload.name)
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            preview = importing.preview_rows(df, provider=provider, publish=publish)
            token = uuid.uuid4().hex
            path = default_storage.save(
                _stored_path(provider, token, upload.name), ContentFile(data)
            )
            _forget_import(request)
            _remove_stale_imports(provider)
            request.session[IMPORT_SESSION_KEY] = {
                "path": path, "name": upload.name, "provider": provider.pk, "publish": publish,
            }
            return render(request, "offers/import_preview.html", {
                "provider": provider, "preview": preview, "filename": upload.name,
                "publish": publish,
            })
    return render(request, "offers/import_upload.html", {
        "form": form, "provider": provider, "columns": importing.COLUMNS,
    })


STALE_IMPORT_AGE = dt.timedelta(days=1)


def _remove_stale_imports(provider: Organisation) -> None:
    """Uploads never confirmed (a closed tab) are removed after a day, on the next upload."""
    folder = f"offer_imports/{provider.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - STALE_IMPORT_AGE
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _forget_import(request: HttpRequest) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    provider = access.require_active_organisation(request, PROVIDER)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending["provider"] != provider.pk or not default_storage.exists(
        pending["path"]
    ):
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("offers:import")
    if "cancel" in request.POST:
        _forget_import(request)
        messages.info(request, _("The import was cancelled; nothing was changed."))
        return redirect("offers:provider_home")
    with default_storage.open(pending["path"], "rb") as fh:
        data = fh.read()
    try:
        # Validate again: the catalogue may have changed since the preview.
        df = importing.read_table(data, pending["name"])
        preview = importing.preview_rows(df, provider=provider, publish=pending["publish"])
        result = importing.offers_import(
            provider=provider, preview=preview, publish=pending["publish"], user=request.user
        )
    except (importing.ImportFileError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("offers:import")
    _forget_import(request)
    messages.success(request, _(
        "Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    return redirect("offers:provider_home")
