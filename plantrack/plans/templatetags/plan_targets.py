"""How a plan's targets read on a page: their figures, comparator in words and period."""

from django import template
from django.utils.translation import gettext as _

from plantrack.core.templatetags.plantrack_ui import num
from plantrack.plans.models import QUALITATIVE_NOTE, AssignmentRole, Comparator

register = template.Library()


@register.filter
def target_values(target) -> str:
    """The figure(s) of a target: "62,8", "10 – 15", "" for a compound or qualitative line."""
    low, high = target.min_value, target.max_value
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return f"{num(low)} – {num(high)}"
    return num(low if low is not None else high)


@register.filter
def comparator_words(target) -> str:
    """The comparator in words, precise enough to read without the code ("Tăng hằng năm, tối thiểu")."""
    if target.comparator == Comparator.QUALITATIVE:
        return str(QUALITATIVE_NOTE)
    label = target.get_comparator_display()
    only_min = target.min_value is not None and target.max_value is None
    if target.comparator == Comparator.YEARLY_GROWTH and only_min:
        return _("Tăng hằng năm, tối thiểu")
    if target.comparator == Comparator.COUNT_OVER_PERIOD and target.period_start_year and target.target_year:
        return _("Số lượng trong giai đoạn %(start)s–%(end)s") % {
            "start": target.period_start_year,
            "end": target.target_year,
        }
    return label


@register.filter
def target_period(target) -> str:
    if target.period_start_year and target.target_year and target.period_start_year != target.target_year:
        return f"{target.period_start_year}–{target.target_year}"
    return str(target.target_year or "")


@register.filter
def assignment_role(code: str) -> str:
    """An assignment's role in words ("Chủ trì", "Phối hợp"), from the one list of roles."""
    return AssignmentRole(code).label if code in AssignmentRole.values else code
