"""The project's form renderer: Django's own Jinja2 form renderer (``django.forms.renderers.Jinja2``).

Django ships every built-in widget, form, formset, field, label and error-list template twice, for its template
language and for Jinja2 (``django/forms/jinja2``). A form of a few hundred widgets (the report form) spends most of
its rendering time in the template language's per-include cost; the Jinja2 versions of the same templates are
compiled to Python and cost a fraction of it. A template that exists only for Django's template language (the
admin's widget wrappers, a third-party app's widget, a project template) is still found, through the project's
``TEMPLATES`` (``TemplatesSetting``; ``django.forms`` is an installed app so that such a template can include
Django's own widget templates), so nothing needs a second copy.

``settings.FORM_RENDERER`` names it. See docs/decisions.md.
"""

from __future__ import annotations

from django.forms.renderers import Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class FormRenderer(Jinja2):
    """Jinja2 templates first (Django's ``django/forms/jinja2`` and any app's ``jinja2/`` folder), then the
    project's Django templates for the ones Jinja2 does not have."""

    @cached_property
    def fallback(self) -> TemplatesSetting:
        return TemplatesSetting()

    def get_template(self, template_name):
        try:
            return self.engine.get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
