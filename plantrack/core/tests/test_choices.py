"""Selects of agencies list them in the Vietnamese order, not the database's binary order."""

import pytest
from django import forms

from plantrack.core.choices import ViModelChoiceField, vi_sorted
from plantrack.orgs.models import Agency
from plantrack.orgs.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
NAMES = ["Văn phòng UBND tỉnh (thử)", "Ủy ban nhân dân xã An (thử)", "Đài Phát thanh (thử)", "Dân tộc (thử)"]
EXPECTED = [
    "Dân tộc (thử)",
    "Đài Phát thanh (thử)",
    "Ủy ban nhân dân xã An (thử)",
    "Văn phòng UBND tỉnh (thử)",
]


def _labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != "" and str(label) in NAMES]


def test_declared_and_late_set_fields_sort_in_vietnamese_order():
    for name in NAMES:
        AgencyFactory(name=name)

    class F(forms.Form):
        a = ViModelChoiceField(queryset=Agency.objects.order_by("name"), empty_label="—")
        b = forms.ModelMultipleChoiceField(queryset=Agency.objects.none())

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["b"].queryset = Agency.objects.order_by("name")
            vi_sorted(self.fields["b"])

    form = F()
    assert list(form.fields["a"].choices)[0] == ("", "—")
    assert _labels(form.fields["a"]) == EXPECTED
    assert _labels(form.fields["b"]) == EXPECTED
    assert sorted(NAMES) != EXPECTED  # the binary order differs
    agency = Agency.objects.get(name=EXPECTED[1])
    bound = F({"a": agency.pk, "b": [agency.pk]})
    assert bound.is_valid() and bound.cleaned_data["a"] == agency
