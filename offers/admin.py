from django.contrib import admin

from .models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("title", "provider", "status", "level", "format", "municipality", "start_date")
    list_filter = ("status", "level", "format", "municipality")
    search_fields = ("title", "external_id", "provider__name", "provider__orgnr")
    list_select_related = ("provider", "municipality")
    autocomplete_fields = ()
    filter_horizontal = ("areas",)
    readonly_fields = ("published_at", "created_at", "updated_at", "created_by")
