from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "plantrack.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu và số liệu")

    def ready(self) -> None:
        # local import: the signal modules are imported once the app registry is ready
        from plantrack.plans.signals import plan_measurement_proposed
        from plantrack.reporting.figures import figures_provider_register
        from plantrack.reporting.signals import report_accepted

        from .forms import report_figures_or_none, report_figures_vary
        from .signals import definitions_from_import, figures_counted_on_acceptance

        report_accepted.connect(figures_counted_on_acceptance, dispatch_uid="indicators-figures-counted")
        figures_provider_register(report_figures_or_none, vary=report_figures_vary)
        plan_measurement_proposed.connect(
            definitions_from_import, dispatch_uid="indicators-definitions-from-import"
        )
