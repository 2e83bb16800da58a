"""core.form_renderer: Django's Jinja2 form templates, and the project's Django templates for the rest."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from plantrack.core.form_renderer import FormRenderer


def test_the_project_renders_forms_with_it():
    assert isinstance(get_default_renderer(), FormRenderer)


def test_django_s_widget_and_form_templates_come_from_jinja2():
    renderer = FormRenderer()
    for name in (
        "django/forms/widgets/select.html",
        "django/forms/div.html",
        "django/forms/errors/list/ul.html",
    ):
        assert isinstance(renderer.get_template(name), Jinja2Template)


def test_a_template_only_written_for_django_s_template_language_is_still_found():
    renderer = FormRenderer()
    assert isinstance(renderer.get_template("admin/widgets/date.html"), DjangoTemplate)  # the admin's

    class Sample(forms.Form):
        day = forms.DateField(widget=AdminDateWidget)
        kind = forms.ChoiceField(choices=[("a", "A & <b>"), ("b", "B")])

    html = str(Sample(initial={"kind": "b"}))
    assert 'class="vDateField"' in html and 'name="day"' in html  # the admin widget, through the fallback
    assert '<option value="a">A &amp; &lt;b&gt;</option>' in html  # autoescaped by Jinja2
    assert '<option value="b" selected>B</option>' in html
