"""Display helpers for the plan import review form: ISO dates and numbers as Vietnamese input values."""

import datetime

from django import template

register = template.Library()


@register.filter
def vn_date(value) -> str:
    """ "2025-06-30" -> "30/06/2025"; anything that is not an ISO date is shown as it was typed."""
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


@register.filter
def vn_number(value) -> str:
    """62.8 -> "62,8"; None -> ""; a string (an invalid entry being corrected) as typed."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


@register.filter
def blank_none(value) -> str:
    return "" if value is None else str(value)
