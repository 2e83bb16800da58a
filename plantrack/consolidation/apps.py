from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "plantrack.consolidation"
    label = "consolidation"
    verbose_name = _("Báo cáo tổng hợp")
