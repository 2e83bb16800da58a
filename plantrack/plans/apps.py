from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plantrack.plans"
    label = "plans"
    verbose_name = _("Kế hoạch")

    def ready(self) -> None:
        # local import: the hook module and orgs.services import models, loaded only once the registry is ready
        from plantrack.orgs.services import CHANGE_HOOKS

        from . import org_changes
        from .cache_versions import connect

        if org_changes not in CHANGE_HOOKS:
            CHANGE_HOOKS.append(org_changes)
        connect()
