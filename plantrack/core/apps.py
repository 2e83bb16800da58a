from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plantrack.core"
    label = "core"
    verbose_name = "Lõi"
