"""Presentation helpers of the indicator pages: numbers with the decimal comma, a target's goal in words, the
status badge (symbol and words beside the colour, never colour alone)."""

from django import template

from plantrack.core.numbers import format_decimal, input_decimal
from plantrack.indicators.labels import goal_text

register = template.Library()


@register.filter
def vnum(value, places=None) -> str:
    """62.8 → "62,8" (active locale); ``places`` rounds."""
    return format_decimal(value, None if places in (None, "") else int(places))


@register.filter
def as_input(value) -> str:
    """The value of a number input: decimal comma without grouping, or the text as typed."""
    return input_decimal(value)


# The words live in ``indicators.labels`` so the documents (the consolidated report) say the same.
register.filter("goal_text", goal_text)


@register.inclusion_tag("indicators/_status.html")
def status_badge(verdict, show_reason=False):
    return {"verdict": verdict, "show_reason": show_reason}
