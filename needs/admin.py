from django.contrib import admin

from .models import Need, NeedImport, SurveyResponse, SurveyRound


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "opens_on", "closes_on"]
    search_fields = ["name"]


class NeedInline(admin.TabularInline):
    model = Need
    fields = ["title", "area", "participants", "status"]
    extra = 0
    show_change_link = True
    raw_id_fields = ["area"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["organisation", "round", "status", "step", "consent", "submitted_at"]
    list_filter = ["status", "round", "consent"]
    search_fields = ["organisation__name", "organisation__orgnr"]
    raw_id_fields = ["organisation", "submitted_by"]
    inlines = [NeedInline]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "area", "participants", "status", "priority",
                    "round", "created_at"]
    list_filter = ["status", "priority", "round", "level"]
    search_fields = ["title", "description", "organisation__name", "organisation__orgnr",
                     "external_ref"]
    raw_id_fields = ["organisation", "area", "response", "previous", "outcome_offer",
                     "created_by"]
    list_select_related = ["organisation", "area", "round"]
    date_hierarchy = "created_at"


@admin.register(NeedImport)
class NeedImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "round", "status", "uploaded_by", "created_at", "imported_at"]
    list_filter = ["status"]
    readonly_fields = ["summary"]
