"""The agency's indicator figures on the report pages (issue 15: figures where decisions are made).

Figures belong to ``indicators``, which imports ``reporting``; so ``indicators`` registers the provider here when
the app registry is ready (``IndicatorsConfig.ready``) and ``reporting`` never imports it. The provider returns the
figure rows of the report's agency for the cycle's plan and year (``indicators.forms.report_figure_entry``: the
same forms, services and validation as the figure page), or ``None`` when the agency provides no figure.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AgencyReport, ReportState

_providers: list[Callable] = []
_varies: dict[Callable, Callable | None] = {}


def figures_provider_register(provider: Callable, *, vary: Callable | None = None) -> None:
    """``vary(user=..., report=...)``: everything that decides what ``provider`` shows ``user`` of ``report``
    besides the data (a page caching the figures keys on it); without it, pages that show figures are not
    cached."""
    if provider not in _providers:
        _providers.append(provider)
    _varies[provider] = vary


def figures_vary(*, user, report) -> tuple | None:
    """What the figures of ``report`` vary on for ``user`` (see ``figures_provider_register``); None when a
    provider cannot say."""
    varies = []
    for provider in _providers:
        vary = _varies.get(provider)
        if vary is None:
            return None
        varies.append(vary(user=user, report=report))
    return tuple(varies)


def report_figures(*, user, report, data=None):
    """The figure rows of ``report`` for ``user`` (bound to ``data`` on a POST of the report form), or None."""
    for provider in _providers:
        entry = provider(user=user, report=report, data=data)
        if entry is not None:
            return entry
    return None


def figures_read_only_reason(report: AgencyReport, *, member: bool = False) -> str:
    """Why the figures on a report page are read-only: the report was sent (and when), awaits the head, or the
    cycle is closed; for the agency's own editable draft, where to enter them."""
    if report.state == ReportState.ACCEPTED and report.accepted_at:
        return _("Báo cáo đã được tiếp nhận ngày %(d)s — số liệu chỉ xem.") % {
            "d": timezone.localtime(report.accepted_at).strftime("%d/%m/%Y")
        }
    if report.state == ReportState.SUBMITTED and report.submitted_at:
        return _("Báo cáo đã gửi ngày %(d)s — số liệu chỉ xem.") % {
            "d": timezone.localtime(report.submitted_at).strftime("%d/%m/%Y")
        }
    if report.state == ReportState.WITH_HEAD:
        return _("Báo cáo đang chờ lãnh đạo duyệt — số liệu chỉ xem.")
    if not report.cycle.is_open:
        return _("Kỳ báo cáo đã đóng — số liệu chỉ xem.")
    if member:
        return _("Số liệu nhập ở trang “Sửa báo cáo”, cùng với nội dung báo cáo.")
    return _("Báo cáo chưa gửi — số liệu chỉ xem.")
