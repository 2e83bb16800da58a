from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "plantrack.security"
    label = "security"
    verbose_name = _("An toàn thông tin")

    def ready(self) -> None:
        # local import: receivers need the models, which are loaded only once the registry is ready
        from . import receivers  # noqa: F401  (connects the auth and axes signal receivers)
