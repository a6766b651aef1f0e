"""Pages of the offers app: the public catalogue and the provider's own offers.

Every provider page starts with one line: `require_active_organisation(request, PROVIDER)`
(403 for others) for its lists, `offer_for_provider` (also 404 for other providers' offers)
for one offer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import access
from portal.celery import enqueue_on_commit
from portal.jobs import job_create
from portal.models import Organisation, SpreadsheetUpload
from portal.page_cache import public_page
from portal.uploads import spreadsheet_upload_discard, spreadsheet_upload_preview_state

from . import importing, selectors, services
from .forms import CatalogueForm, ImportUploadForm, OfferForm
from .models import Offer
from .pagination import SinglePassPaginator
from .tasks import offer_import_task

PAGE_SIZE = 25
PROVIDER = Organisation.Kind.PROVIDER
IMPORT_SESSION_KEY = "offers_import"
OFFERS = SpreadsheetUpload.Kind.OFFERS


# --- Public catalogue ---------------------------------------------------------------------
# Anonymous visitors get these two from the page cache (per URL and language), revalidated by
# ETag/Last-Modified; any change to an offer refreshes them (offers/receivers.py).
@public_page("offers")
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


@public_page("offers")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_page(pk)
    # An anonymous visitor (every cached page) acts for no business: no need to ask.
    business = (access.active_organisation(request, kind=Organisation.Kind.BUSINESS)
                if request.user.is_authenticated else None)
    return render(request, "offers/detail.html",
                  {"offer": offer, "business": business})


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
                by=request.user, publish="publish" in request.POST,
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
    offer = selectors.offer_for_provider(user=request.user, pk=pk)
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
    offer = selectors.offer_for_provider(user=request.user, pk=pk)
    if action not in ACTIONS and action != "duplicate":
        raise Http404
    if request.method == "POST":
        try:
            if action == "duplicate":
                copy = services.offer_duplicate(offer=offer, by=request.user)
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


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload → background check → preview. The file is kept until the provider confirms."""
    provider = access.require_active_organisation(request, PROVIDER)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # size and type are checked by the form
        _forget_import(request, provider)
        stored = importing.offer_import_upload(
            provider=provider, data=upload.read(), filename=upload.name,
            publish=form.cleaned_data["publish"], by=request.user, language=get_language())
        request.session[IMPORT_SESSION_KEY] = stored.pk
        return redirect("offers:import_preview")
    return render(request, "offers/import_upload.html", {
        "form": form, "provider": provider, "columns": importing.COLUMNS,
    })


@login_required
@require_GET
def import_preview(request: HttpRequest) -> HttpResponse:
    """The provider's pending upload: its check's progress (the page looks again by itself,
    htmx or a refresh without JavaScript), the reason it failed, or the preview."""
    provider = access.require_active_organisation(request, PROVIDER)
    pending = _pending_import(request, provider)
    if pending is None:
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("offers:import")
    return render(request, "offers/import_preview.html", {
        "provider": provider, "filename": pending.filename,
        "publish": bool(pending.options.get("publish")),
        **spreadsheet_upload_preview_state(pending)})


def _pending_import(request: HttpRequest, provider: Organisation) -> SpreadsheetUpload | None:
    """The provider's own upload awaiting confirmation; another provider's never."""
    return SpreadsheetUpload.objects.filter(
        pk=request.session.get(IMPORT_SESSION_KEY) or 0, kind=OFFERS, organisation=provider,
        status=SpreadsheetUpload.Status.PREVIEWED).first()


def _forget_import(request: HttpRequest, provider: Organisation) -> None:
    pending = _pending_import(request, provider)
    request.session.pop(IMPORT_SESSION_KEY, None)
    if pending is not None:
        spreadsheet_upload_discard(upload=pending)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    provider = access.require_active_organisation(request, PROVIDER)
    pending = _pending_import(request, provider)
    if pending is None or not pending.file.storage.exists(pending.file.name):
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("offers:import")
    if "cancel" in request.POST:
        _forget_import(request, provider)
        messages.info(request, _("The import was cancelled; nothing was changed."))
        return redirect("offers:provider_home")
    # The import runs as a Celery task; its page shows the rows validated, then the result.
    # Without a broker it runs in-process and the page shows the result at once.
    job = job_create(kind="offer_import", by=request.user)
    enqueue_on_commit(offer_import_task, upload_id=pending.pk, provider_id=provider.pk,
                      user_id=request.user.pk, job_id=job.pk)
    request.session.pop(IMPORT_SESSION_KEY, None)
    return redirect("portal:job", pk=job.pk)
