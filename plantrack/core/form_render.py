"""A form renderer that writes Django's plain widgets (inputs, textareas, selects) in Python.

A report form has a few hundred widgets; through the template engine each costs a template render with its
includes (most of the page's time). ``FAST_RENDERER`` writes the HTML of Django's own templates
(``django/forms/widgets/input.html``, ``textarea.html``, ``select.html``, ``select_option.html``, ``attrs.html``)
character for character, from the same widget context (``Widget.get_context``: values, attributes, selected
options are Django's), and hands anything else (other widgets, forms, error lists, labels; a value whose template
rendering would localise it) to the templates as before. ``core/tests/test_form_render.py`` compares both.

Use: ``default_renderer = FAST_RENDERER`` on a form, ``renderer=FAST_RENDERER`` in ``formset_factory``.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_PLAIN = (str, Promise)


def _text(value) -> str | None:
    """``{{ value }}`` for a string (escaped unless safe); None for anything the engine would localise."""
    if isinstance(value, SafeData):
        return str(value)
    if isinstance(value, _PLAIN):
        return escape(value)
    return None


def _fmt(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``"%s" % value``, escaped unless the value was safe."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))  # "%s" % value, as the filter does


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(" " + conditional_escape(name))
        else:
            out.append(f' {conditional_escape(name)}="{_fmt(value)}"')
    return "".join(out)


def _input(widget: dict) -> str | None:
    kind, name = _text(widget["type"]), _text(widget["name"])
    if kind is None or name is None:
        return None
    value = "" if widget["value"] is None else f' value="{_fmt(widget["value"])}"'
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str | None:
    name = _text(widget["name"])
    value = widget["value"]
    text = (_text(value) if value else "") if value is not None else ""
    if name is None or text is None:
        return None
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


_OPTION = "django/forms/widgets/select_option.html"


def _select(widget: dict) -> str | None:
    name = _text(widget["name"])
    if name is None:
        return None
    out = [f'<select name="{name}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            label = _text(group_name)
            if label is None:
                return None
            out.append(f'\n  <optgroup label="{label}">')
        for option in options:  # select_option.html ends with a newline, kept by the include
            label = _text(option["label"])
            if label is None or option["template_name"] != _OPTION:
                return None
            out.append(
                f'\n  <option value="{_fmt(option["value"])}"{_attrs(option["attrs"])}>{label}</option>\n'
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_INPUTS = (
    "text",
    "hidden",
    "number",
    "date",
    "email",
    "url",
    "file",
    "password",
    "search",
    "tel",
    "checkbox",
)
FAST_WIDGETS = {
    **{f"django/forms/widgets/{kind}.html": _input for kind in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        fast = FAST_WIDGETS.get(template_name)
        if fast is not None and request is None and "widget" in context:
            html = fast(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)


FAST_RENDERER = FastWidgetRenderer()
