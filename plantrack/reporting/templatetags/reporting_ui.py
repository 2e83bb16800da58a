from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from plantrack.reporting.models import EntryStatus, EventKind

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dicts keyed by ids."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def entry_status(code: str) -> str:
    """An entry's status in words ("Hoàn thành"…) for frozen snapshots, which keep the code."""
    return EntryStatus(code).label if code in EntryStatus.values else code


@register.filter
def event_kind(code: str) -> str:
    """An event's kind in words ("Hội nghị"…) for frozen snapshots, which keep the code."""
    return EventKind(code).label if code in EventKind.values else code


@register.filter
def facts_table(fs) -> SafeString:
    """One formset of the report form's facts (documents, events, funding, proposals) as a table: the HTML of
    ``reporting/_facts_formset.html`` (kept as the reference: ``test_entry_facts`` compares them), written in
    Python because a report form holds a dozen of them. Most are empty (an entry with no document, event or
    funding yet): their table is the same but for the prefix, so it is written once per kind and language in this
    process and given the formset's prefix."""
    if not fs.is_bound and not fs.initial and not fs.form_kwargs:
        key = (type(fs), get_language())
        html = _EMPTY_TABLES.get(key)
        if html is None:
            html = _EMPTY_TABLES[key] = _facts_table(type(fs)(prefix=_PREFIX))
        return mark_safe(html.replace(_PREFIX, fs.prefix))  # noqa: S308 (written by _facts_table)
    return mark_safe(_facts_table(fs))  # noqa: S308 (every piece escaped or rendered by Django's forms)


_EMPTY_TABLES: dict[tuple, str] = {}
_PREFIX = "zz-facts-prefix-zz"  # stands for the prefix in the shared tables: nothing else on a form says this


def _facts_table(fs) -> str:
    delete_label = conditional_escape(gettext("Xóa"))
    management = fs.management_form
    if management.errors or management.visible_fields():
        out = [conditional_escape(management)]
    else:  # what django/forms/div.html gives a form of hidden fields only, with no error
        out = ["".join(conditional_escape(field) for field in management.hidden_fields())]
    non_form = fs.non_form_errors()
    if non_form:
        out.append(f'<div class="upload-error" role="alert">{conditional_escape(non_form)}</div>')
    out.append('\n<table class="facts-table"><thead><tr>')
    for field in fs.empty_form.visible_fields():
        if field.name != "DELETE":
            out.append(f"<th>{conditional_escape(field.label)}</th>")
    out.append(f"<th>{delete_label}</th></tr></thead><tbody>\n")
    for form in fs:
        out.append("<tr>")
        out.extend(conditional_escape(field) for field in form.hidden_fields())
        for field in form.visible_fields():
            if field.name == "DELETE":
                continue
            errors = field.errors
            out.append(
                f'<td><label class="visually-hidden" for="{conditional_escape(field.id_for_label)}">'
                f"{conditional_escape(field.label)}</label>{conditional_escape(field)}"
                f"{conditional_escape(errors) if errors else ''}</td>"
            )
        delete = conditional_escape(form["DELETE"]) if "DELETE" in form.fields else ""
        out.append(f"<td>{delete}</td></tr>")
    out.append("\n</tbody></table>\n")
    return "".join(out)
