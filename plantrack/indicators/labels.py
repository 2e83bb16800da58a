"""Indicator things in words, shared by the pages (through ``templatetags.indicators_tags``) and the documents
(the consolidated report), so a target reads the same everywhere."""

from django.utils.translation import gettext as _

from plantrack.core.numbers import format_decimal
from plantrack.plans.models import Comparator


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
