"""Admin pages for reporting are read-only: every write goes through the workflow services (pages, API, commands)
so that no change escapes the rules, the version check, the history and the notifications."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgencyReport, Evidence, ReportEntry, ReportingCycle, ReportSubmission, ReportTransition


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingCycle)
class ReportingCycleAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["plan", "year", "due_date", "data_as_of", "state", "is_demo"]
    list_filter = ["state", "is_demo", "year"]


class EntryInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportEntry
    fields = ["task", "role", "status", "results", "difficulties"]
    readonly_fields = fields
    extra = 0


@admin.register(AgencyReport)
class AgencyReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["agency", "cycle", "state", "version", "submitted_at", "is_late", "accepted_at"]
    list_filter = ["state", "is_late", "cycle"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "cycle__plan"]
    inlines = [EntryInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["display_name", "report", "kind", "content_type", "size", "created_at"]
    list_select_related = ["report__agency", "report__cycle__plan"]
    exclude = ["file"]  # files are downloaded only through the access-checked view


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "number", "submitted_at", "submitted_by", "is_late"]
    list_select_related = ["report__agency", "report__cycle__plan", "submitted_by"]


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "from_state", "to_state", "actor", "at"]
    list_select_related = ["report__agency", "report__cycle__plan", "actor"]
