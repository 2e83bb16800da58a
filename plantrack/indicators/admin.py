"""Admin: indicator definitions can be configured here by IT staff; figures are read-only (they are entered through
``services.figure_record`` on the pages or the API, which checks permissions, ranges and jumps)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IndicatorComponent, IndicatorDefinition, YearlyFigure


class ComponentInline(admin.TabularInline):
    model = IndicatorComponent
    extra = 0
    fields = [
        "order",
        "name",
        "label",
        "unit",
        "value_type",
        "min_allowed",
        "max_allowed",
        "jump_threshold_percent",
        "provider",
    ]


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(SimpleHistoryAdmin):
    list_display = ["target", "kind", "unit", "provider", "assessment", "direction"]
    list_filter = ["target__plan", "kind", "assessment"]
    list_select_related = ["target", "provider"]
    raw_id_fields = ["target"]
    inlines = [ComponentInline]


@admin.register(YearlyFigure)
class YearlyFigureAdmin(SimpleHistoryAdmin):
    list_display = ["definition", "component", "year", "value", "agency", "entered_by", "report", "is_demo"]
    list_filter = ["year", "is_demo", "definition__target__plan"]
    list_select_related = ["definition__target", "component", "agency", "entered_by", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
