"""Presentation helpers of the indicator pages: numbers with the decimal comma, a target's goal in words, the
status badge (symbol and words beside the colour, never colour alone)."""

from django import template
from django.utils.translation import gettext as _

from plantrack.indicators.numbers import format_decimal, input_decimal
from plantrack.plans.models import Comparator

register = template.Library()


@register.filter
def vnum(value, places=None) -> str:
    """62.8 → "62,8" (active locale); ``places`` rounds."""
    return format_decimal(value, None if places in (None, "") else int(places))


@register.filter
def as_input(value) -> str:
    """The value of a number input: decimal comma without grouping, or the text as typed."""
    return input_decimal(value)


@register.filter
def goal_text(target) -> str:
    """The target in words: "khoảng 62,8 %", "10 – 15 %", "tăng tối thiểu 20 %/năm", "10 – 15 giải thưởng"."""
    low, high = format_decimal(target.min_value), format_decimal(target.max_value)
    unit = f" {target.unit}" if target.unit else ""
    both = f"{low} – {high}{unit}" if low and high and low != high else f"{low or high}{unit}"
    comparator = target.comparator
    if comparator == Comparator.APPROXIMATELY:
        text = _("khoảng %(v)s") % {"v": both}
    elif comparator == Comparator.AT_LEAST:
        text = _("tối thiểu %(v)s") % {"v": both}
    elif comparator == Comparator.AT_MOST:
        text = _("tối đa %(v)s") % {"v": both}
    elif comparator == Comparator.RANGE:
        text = _("từ %(v)s") % {"v": both}
    elif comparator == Comparator.YEARLY_GROWTH:
        text = _("tăng tối thiểu %(v)s") % {"v": both}
    elif comparator == Comparator.PER_POPULATION or comparator == Comparator.COUNT_OVER_PERIOD:
        text = _("đạt %(v)s") % {"v": both}
    elif comparator == Comparator.QUALITATIVE:
        return _("định tính")
    else:
        return _("chỉ tiêu ghép")
    if target.period_start_year and target.target_year:
        return _("%(text)s (giai đoạn %(start)s–%(end)s)") % {
            "text": text,
            "start": target.period_start_year,
            "end": target.target_year,
        }
    if target.target_year:
        return _("%(text)s (đến %(end)s)") % {"text": text, "end": target.target_year}
    return text


@register.inclusion_tag("indicators/_status.html")
def status_badge(verdict, show_reason=False):
    return {"verdict": verdict, "show_reason": show_reason}
