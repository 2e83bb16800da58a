from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at", "is_demo"]
    list_filter = ["is_demo", "read_at"]
    search_fields = ["subject", "recipient__username"]
    readonly_fields = ["recipient", "subject", "body", "url", "is_demo", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False
