"""Support views of meetings (daily work happens on the meeting pages)."""

from django.contrib import admin

from .models import Invitation, Meeting, MeetingCommitment, MeetingJoinRequest, SlotRequest


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["organisation", "language", "reply", "headcount", "attended", "sent_at"]
    readonly_fields = ["sent_at"]
    raw_id_fields = ["organisation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "municipality", "status", "is_public", "sequence"]
    list_filter = ["status", "is_public"]
    search_fields = ["title"]
    raw_id_fields = ["cohort", "cohort_request", "needs"]
    readonly_fields = ["uid", "sequence", "reminder_sent_at", "summary_sent_at", "scheduled_at"]
    inlines = [InvitationInline]


admin.site.register(SlotRequest)
admin.site.register(MeetingJoinRequest)
admin.site.register(MeetingCommitment)
