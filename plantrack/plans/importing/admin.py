from django.contrib import admin

from .models import PlanImportDraft


@admin.register(PlanImportDraft)
class PlanImportDraftAdmin(admin.ModelAdmin):
    list_display = ("filename", "plan_code", "status", "created_by", "created_at", "plan")
    list_filter = ("status",)
    search_fields = ("filename",)
    list_select_related = ("created_by", "plan")
    readonly_fields = (
        "created_by",
        "filename",
        "file_kind",
        "source_lines",
        "data",
        "import_problems",
        "locations",
        "status",
        "plan",
        "published_at",
        "published_by",
    )
