from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReminderLog, ReminderSchedule, UrgingLetter


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["cycle", "days_before", "days_after", "repeat_every_days", "repeat_limit", "is_active"]
    list_select_related = ["cycle__plan"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """The log is what was sent: read only, written by the reminder service alone."""

    list_display = ["sent_at", "cycle", "agency", "step_offset", "recipient_name", "email", "report_state"]
    list_filter = ["cycle", "step_offset"]
    search_fields = ["agency__name", "recipient_name", "email"]
    list_select_related = ["cycle__plan", "agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UrgingLetter)
class UrgingLetterAdmin(SimpleHistoryAdmin):
    list_display = ["cycle", "sequence", "number", "symbol", "letter_date", "new_deadline", "exported_at"]
    list_select_related = ["cycle__plan"]
    readonly_fields = ["listed_agencies", "prepared_by", "exported_at", "exported_by"]
