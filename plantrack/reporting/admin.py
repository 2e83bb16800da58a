"""Admin pages for reporting are read-only: every write goes through the workflow services (pages, API, commands)
so that no change escapes the rules, the version check, the history and the notifications. They list only what the
user may read through the pages (``for_user``): a draft never leaves its agency, not even for a superuser here."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from plantrack.accounts.permissions import member_agency_ids

from .models import (
    VISIBLE_OUTSIDE_AGENCY,
    AgencyReport,
    Evidence,
    ReportEntry,
    ReportingCycle,
    ReportSubmission,
    ReportTransition,
)


class ReadOnlyMixin:
    def get_queryset(self, request):
        """The rows of the reports the user may read (``AgencyReport.objects.for_user``), through ``report_path``."""
        qs = super().get_queryset(request)
        if self.report_path is None:
            return qs
        readable = AgencyReport.objects.for_user(request.user).values("pk")
        return qs.filter(**{f"{self.report_path}__in": readable})

    report_path: str | None = (
        "report"  # from the admin's rows to their report ("pk" for reports, None: no report)
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingCycle)
class ReportingCycleAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    report_path = None  # a cycle's existence and dates are not secret
    list_display = ["plan", "year", "due_date", "data_as_of", "state", "is_demo"]
    list_filter = ["state", "is_demo", "year"]


class EntryInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportEntry
    fields = ["task", "role", "status", "results", "difficulties"]
    readonly_fields = fields
    extra = 0


@admin.register(AgencyReport)
class AgencyReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    report_path = "pk"

    def _readable(self, request, object_id) -> None:
        """404 for a report the user may not read (django-simple-history would show a draft's past versions)."""
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """Past versions as the report's readers saw them: its drafts only for the agency's own people."""
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        members = member_agency_ids(request.user)
        return records.filter(Q(state__in=VISIBLE_OUTSIDE_AGENCY) | Q(agency_id__in=members))

    def history_view(self, request, object_id, extra_context=None):
        self._readable(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._readable(request, object_id)
        history = self.get_history_queryset(request, AgencyReport.history, "id", unquote(object_id))
        if not history.filter(history_id=version_id).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

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
