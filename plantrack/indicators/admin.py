"""Admin: indicator definitions can be configured here by IT staff; figures are read-only (they are entered through
``services.figure_record`` on the pages or the API, which checks permissions, ranges and jumps)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
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

    def get_queryset(self, request):
        """The figures the user may read on the pages (``YearlyFigure.objects.for_user``): a figure of a report
        not yet sent never leaves its agency, not even for a superuser here."""
        readable = YearlyFigure.objects.for_user(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=readable)

    def history_view(self, request, object_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404  # django-simple-history would show the past values of a figure the user may not read
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
