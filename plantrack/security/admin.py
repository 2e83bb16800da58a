from django.contrib import admin

from .models import SecurityEvent, UserSession


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to administrators, changeable by nobody."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor_username", "action", "target", "ip_address", "path")
    list_filter = ("action",)
    search_fields = ("actor_username", "target", "ip_address", "path")
    date_hierarchy = "occurred_at"
    readonly_fields = (
        "occurred_at",
        "actor_username",
        "action",
        "target",
        "ip_address",
        "user_agent",
        "path",
        "detail",
    )
    exclude = ("actor",)

    def get_actions(self, request):
        return {}


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "ip_address", "user_agent")
    search_fields = ("user__username",)
    list_select_related = ("user",)

    def get_actions(self, request):
        return {}
