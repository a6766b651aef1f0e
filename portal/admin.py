"""Admin for the shared domain: memberships, where an adviser's municipality scope is set."""

from django.contrib import admin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "scope"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "organisation__name", "organisation__orgnr"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["user", "organisation"]
    filter_horizontal = ["municipalities"]

    @admin.display(description="scope")
    def scope(self, membership: Membership) -> str:
        names = [m.name for m in membership.municipalities.all()]
        return ", ".join(names) if names else "–"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "user", "organisation").prefetch_related("municipalities")
