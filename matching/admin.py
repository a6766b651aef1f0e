"""Support views of matching data. Daily work happens on the matching pages, not here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import MatchingSettingsForm
from .models import (
    Cohort,
    CohortNeed,
    CohortRequest,
    Match,
    MatchEvent,
    MatchingSettings,
    WeightChange,
)


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    form = MatchingSettingsForm  # the same rules as the settings page (weights add up to 1)
    list_display = ["__str__", "weight_topic", "weight_geography", "min_score", "top_k",
                    "gap_score", "cohort_threshold", "updated_at"]
    fieldsets = [
        (None, {"fields": ["weight_topic", "weight_level", "weight_format", "weight_geography",
                           "weight_timing", "weight_cost", "weight_capacity"]}),
        (_("Thresholds"), {"fields": ["min_score", "top_k", "gap_score", "cohort_threshold"]}),
    ]

    def save_model(self, request, obj, form, change):
        from .learning import WEIGHT_FIELDS, weights_apply

        if change:  # kept in the weight history like a change on the settings page
            weights_apply(weights={n: form.cleaned_data[n] for n in WEIGHT_FIELDS},
                          by=request.user)
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request) -> bool:
        # One row (pk=1), created by MatchingSettings.current().
        return not MatchingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WeightChange)
class WeightChangeAdmin(admin.ModelAdmin):
    """The weight history, read only: changes are made on the settings page."""

    list_display = ["changed_at", "changed_by", "source"]
    readonly_fields = ["changed_at", "changed_by", "source", "before", "after", "figures"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MatchEventInline(admin.TabularInline):
    model = MatchEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    """Read-mostly: status changes go through the workflow pages so history is kept."""

    list_display = ["need", "offer", "score", "rank", "status", "is_current", "updated_at"]
    list_filter = ["status", "is_current", "need__area__parent", "offer__level"]
    search_fields = ["need__title", "need__organisation__name", "offer__title"]
    list_select_related = ["need__organisation", "need__area", "offer"]
    raw_id_fields = ["need", "offer"]
    readonly_fields = ["need", "offer", "score", "components", "reasons", "rank", "status",
                       "is_current", "response_reason", "scored_at", "updated_at"]
    fields = readonly_fields[:6] + ["adviser_note"] + readonly_fields[6:]
    inlines = [MatchEventInline]

    def has_add_permission(self, request) -> bool:
        return False


class CohortNeedInline(admin.TabularInline):
    model = CohortNeed
    extra = 0
    raw_id_fields = ["need"]


class CohortRequestInline(admin.TabularInline):
    model = CohortRequest
    extra = 0
    raw_id_fields = ["provider", "offer", "sent_by"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["area", "level", "anchor_municipality", "online", "participants",
                    "business_count", "threshold", "is_opportunity", "is_current", "status"]
    list_filter = ["is_opportunity", "is_current", "status", "online", "area__parent"]
    search_fields = ["key", "area__code", "area__label_nb"]
    list_select_related = ["area", "anchor_municipality"]
    readonly_fields = ["key", "area", "level", "anchor_municipality", "online", "window_start",
                       "window_end", "participants", "business_count", "threshold",
                       "is_opportunity", "is_current", "built_at", "created_at"]
    inlines = [CohortNeedInline, CohortRequestInline]


@admin.register(CohortRequest)
class CohortRequestAdmin(admin.ModelAdmin):
    list_display = ["cohort", "provider", "status", "created_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["provider__name"]
    raw_id_fields = ["cohort", "provider", "offer", "sent_by"]


from .meetings import admin as _meetings_admin  # noqa: E402, F401  (registers the meeting admin)
