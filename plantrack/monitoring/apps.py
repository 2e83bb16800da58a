from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "plantrack.monitoring"
    label = "monitoring"
    verbose_name = _("Theo dõi, đôn đốc")

    def ready(self) -> None:
        # local import: the receivers need the models, which are loaded only once the registry is ready
        from .cache_versions import connect

        connect()
