from django.contrib import admin

from .models import Offer
from .search import offer_search_refresh


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Support only: edits here skip the services' validation and send no signals."""

    list_display = ("title", "provider", "status", "level", "format", "municipality", "start_date")
    list_filter = ("status", "level", "format", "municipality")
    search_fields = ("title", "external_id", "provider__name", "provider__orgnr")
    list_select_related = ("provider", "municipality")
    filter_horizontal = ("areas",)
    raw_id_fields = ("provider", "created_by")
    readonly_fields = ("published_at", "created_at", "updated_at")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Keep the catalogue's search columns in step with the edited title and areas.
        offer_search_refresh(offer_ids=[form.instance.pk])
