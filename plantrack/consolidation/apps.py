from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "plantrack.consolidation"
    label = "consolidation"
    verbose_name = _("Báo cáo tổng hợp")

    def ready(self):
        from plantrack.indicators.signals import figures_changed

        from .report.charts import charts_prepare_soon

        # Plumbing: the consolidated report's chart images are drawn when figures change, not when it is built.
        figures_changed.connect(charts_prepare_soon, dispatch_uid="consolidation-charts-prepare")
