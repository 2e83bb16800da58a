from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "plantrack.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        # local import: receivers need the models, which are loaded only once the registry is ready
        from . import receivers  # noqa: F401
