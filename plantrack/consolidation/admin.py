from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BuildRun, ConsolidatedReport


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(SimpleHistoryAdmin):
    list_display = ("cycle", "symbol", "number", "report_date", "updated_at", "updated_by")
    readonly_fields = ("version", "updated_by")


@admin.register(BuildRun)
class BuildRunAdmin(admin.ModelAdmin):
    list_display = ("report", "state", "progress", "created_at", "finished_at", "duration_ms", "requested_by")
    list_filter = ("state",)
    readonly_fields = [f.name for f in BuildRun._meta.fields]

    def has_add_permission(self, request):
        return False
