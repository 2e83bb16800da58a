"""The consolidated report list as a file (XLSX/CSV, formulas escaped once) and paged."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plantrack.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_consolidated_list_exports_its_rows_with_formulas_escaped_once(client, cycle_2025):
    Plan.objects.filter(pk=cycle_2025.cycle.plan_id).update(number="=1+1")
    code = Plan.objects.get(pk=cycle_2025.cycle.plan_id).code
    assert code.startswith("=1+1")
    label = cycle_2025.cycle.label
    client.force_login(cycle_2025.coordinator)
    url = reverse("consolidation:list")
    page = client.get(url).content.decode()
    assert "xuat=xlsx" in page and "xuat=csv" in page
    text = client.get(url, {"xuat": "csv"}).content.decode("utf-8-sig")
    line = next(row for row in text.splitlines() if label in row)
    assert line.startswith(f"'{code},{label},")
    assert "''=" not in text
    sheet = load_workbook(io.BytesIO(client.get(url, {"xuat": "xlsx"}).content)).active
    assert [c.value for c in sheet[2]][:2] == [code, label]
    assert sheet["A2"].data_type == "s"
