from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "plantrack.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        # local import: the hook module and orgs.services import models, loaded only once the registry is ready
        from plantrack.orgs.services import CHANGE_HOOKS

        from . import org_changes

        if org_changes not in CHANGE_HOOKS:
            CHANGE_HOOKS.append(org_changes)

        from plantrack.plans.views import PLAN_PAGE_HOOKS

        from .regime_views import plan_page_hook as regime_plan_page_hook
        from .timeliness import plan_page_hook

        for hook in (plan_page_hook, regime_plan_page_hook):
            if hook not in PLAN_PAGE_HOOKS:
                PLAN_PAGE_HOOKS.append(hook)

        from plantrack.plans.amendments import AMENDMENT_HOOKS

        from . import amendments

        if amendments not in AMENDMENT_HOOKS:
            AMENDMENT_HOOKS.append(amendments)
