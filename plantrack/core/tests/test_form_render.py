"""core.form_render writes Django's widget templates in Python: the same HTML, widget by widget."""

import datetime
from decimal import Decimal

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from plantrack.core.form_render import FAST_RENDERER

TEMPLATES = DjangoTemplates()


class Sample(forms.Form):
    name = forms.CharField(max_length=20, help_text="x")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "data-x": 'a"b<c>'}), required=False)
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=0, required=False)
    amount = forms.DecimalField(required=False)
    day = forms.DateField(widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    link = forms.URLField(required=False, assume_scheme="https")
    mail = forms.EmailField(required=False)
    flag = forms.BooleanField(required=False)
    off = forms.BooleanField(required=False, disabled=True)
    kind = forms.ChoiceField(choices=[("", "— Chọn —"), ("a", gettext_lazy("Đã xong")), ("b", "B & <b>")])
    grouped = forms.ChoiceField(choices=[("Nhóm <1>", [("1", "Một"), ("2", "Hai")]), ("3", "Ba")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)


VALUES = [
    {},
    {
        "name": 'Sở "Tài chính" & <Kế hoạch>',
        "note": "Dòng một\n<script>alert(1)</script> & 'x'",
        "hidden": 7,
        "count": 1234567,
        "amount": Decimal("1234.5"),
        "day": datetime.date(2026, 12, 5),
        "link": "https://example.vn/?a=1&b=2",
        "mail": "a@b.vn",
        "flag": True,
        "off": False,
        "kind": "b",
        "grouped": "2",
        "many": ["x", "z"],
    },
    {"note": mark_safe("<b>an toàn</b>"), "name": mark_safe("<i>x</i>"), "kind": "zz", "flag": "on"},
]


def test_every_widget_renders_as_django_s_templates_do():
    for initial in VALUES:
        for bound in (False, True):
            kwargs = {"data": dict(initial)} if bound else {"initial": initial}
            form = Sample(renderer=FAST_RENDERER, **kwargs)
            for field in form:
                fast = field.as_widget(field.field.widget)
                form.renderer = TEMPLATES
                slow = field.as_widget(field.field.widget)
                form.renderer = FAST_RENDERER
                assert fast == slow, field.name


def test_the_form_as_a_whole_and_its_errors_are_unchanged():
    form = Sample(data={"name": "x" * 30}, renderer=FAST_RENDERER)
    assert not form.is_valid()
    slow = Sample(data={"name": "x" * 30}, renderer=TEMPLATES)
    assert slow.is_valid() is False
    assert str(form) == str(slow)
