"""Admin for plans: metadata with its references, recipients, outline, targets and tasks with assignments."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .importing import admin as importing_admin  # noqa: F401 - registers the import drafts' admin
from .models import (
    Assignment,
    OutlineNode,
    Plan,
    PlanDuty,
    PlanRecipient,
    PlanReference,
    Target,
    Task,
    TaskGroup,
)


class PlanReferenceInline(admin.TabularInline):
    model = PlanReference
    extra = 0
    fields = ("order", "kind", "number", "text")


class PlanRecipientInline(admin.TabularInline):
    model = PlanRecipient
    extra = 0
    fields = ("order", "text", "agency", "group")
    autocomplete_fields = ("agency", "group")


class TaskGroupInline(admin.TabularInline):
    model = TaskGroup
    extra = 0
    fields = ("order", "code", "title")


class PlanDutyInline(admin.StackedInline):
    model = PlanDuty
    extra = 0
    fields = (
        ("code", "kind", "order"),
        "text",
        ("who_text", "agency"),
        "groups",
        ("recipient", "recipient_text"),
        ("due_day", "due_month"),
    )
    autocomplete_fields = ("agency", "recipient", "groups")


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("code", "issued_on", "issuer", "coordinator_agency", "task_count", "is_published")
    list_filter = ("is_published", "issuer")
    search_fields = ("number", "symbol", "title")
    date_hierarchy = "issued_on"
    list_select_related = ("issuer", "coordinator_agency")
    autocomplete_fields = ("issuer", "coordinator_agency")
    inlines = [PlanReferenceInline, PlanRecipientInline, TaskGroupInline, PlanDutyInline]
    fieldsets = (
        (None, {"fields": (("number", "symbol"), "issuer", ("place", "issued_on"), "title")}),
        (
            _("Theo dõi, báo cáo"),
            {"fields": ("coordinator_agency", ("report_due_day", "report_due_month"), "is_published")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_task_count=Count("tasks"))

    @admin.display(description=_("số nhiệm vụ"), ordering="_task_count")
    def task_count(self, obj):
        return obj._task_count


@admin.register(OutlineNode)
class OutlineNodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "title", "plan", "order")
    list_filter = ("plan",)
    search_fields = ("code", "title", "body")
    list_select_related = ("plan",)


class TargetPartInline(admin.TabularInline):
    model = Target
    fk_name = "parent"
    extra = 0
    fields = ("order", "code", "text", "unit", "comparator", "min_value", "max_value", "target_year")
    verbose_name = _("chỉ tiêu thành phần")
    verbose_name_plural = _("chỉ tiêu thành phần")


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "short_name",
        "comparator",
        "min_value",
        "max_value",
        "unit",
        "target_year",
        "plan",
    )
    list_filter = ("plan", "comparator", "target_year")
    search_fields = ("code", "short_name", "text")
    list_select_related = ("plan",)
    inlines = [TargetPartInline]


@admin.register(TaskGroup)
class TaskGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "plan", "order")
    list_filter = ("plan",)
    search_fields = ("code", "title")
    list_select_related = ("plan",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("order", "role", "agency", "group", "related_only", "as_written")
    autocomplete_fields = ("agency", "group")


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("code", "short_text", "group", "recurrence", "deadline", "plan")
    list_filter = ("plan", "group", "recurrence")
    search_fields = ("code", "text", "search_text", "assignments__agency__name", "assignments__as_written")
    list_select_related = ("plan", "group")
    readonly_fields = ("search_text",)
    inlines = [AssignmentInline]

    @admin.display(description=_("nội dung"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 120 else obj.text[:117] + "…"


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("task", "role", "agency", "group", "related_only", "as_written")
    list_filter = ("role", "related_only", "task__plan", "task__group")
    search_fields = ("task__code", "agency__name", "group__name", "as_written")
    list_select_related = ("task", "agency", "group")
    autocomplete_fields = ("agency", "group", "task")


@admin.register(PlanDuty)
class PlanDutyAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "who_text", "recipient", "due_display", "plan")
    list_filter = ("plan", "kind")
    search_fields = ("code", "who_text", "text")
    list_select_related = ("plan", "recipient")
