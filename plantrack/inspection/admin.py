from django.contrib import admin

from .models import InspectionPlan, Recommendation, RecommendationEvent, Visit


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "year", "number"]
    list_filter = ["year"]
    readonly_fields = [f.name for f in InspectionPlan._meta.concrete_fields]

    def has_add_permission(self, request):
        return False  # written through the pages (services), never around them


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["agency", "inspection", "start_date", "end_date"]
    readonly_fields = [f.name for f in Visit._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


class EventInline(admin.TabularInline):
    model = RecommendationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "comment"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "deadline", "state"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Recommendation._meta.concrete_fields]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False
