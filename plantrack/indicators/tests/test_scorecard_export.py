"""The scorecard as a file: the page's rows with the status in words, formulas escaped once."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from plantrack.indicators.services import figure_record
from plantrack.plans.models import Target

pytestmark = pytest.mark.django_db


def test_scorecard_exports_code_goal_years_status_and_projection(client, world):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        for year, value in ((2021, "38,5"), (2024, "40,3"), (2025, "40,9")):
            figure_record(
                actor=world.coordinator, indicator=world.share, year=year, value=value, source_note="NGTK"
            )
        Target.objects.filter(code="II.2.1", plan=world.plan).update(short_name="=Tỷ trọng thử")
        client.force_login(world.viewer)
        url = reverse("indicators:scorecard", args=[world.plan.pk])
        assert "xuat=csv" in client.get(url, {"nam": 2025}).content.decode()
        text = client.get(url, {"nam": 2025, "xuat": "csv"}).content.decode("utf-8-sig")
        line = next(r for r in text.splitlines() if r.startswith("II.2.1,"))
        assert line.startswith("II.2.1,'=Tỷ trọng thử,")
        assert '"40,3","40,9",Có nguy cơ' in line
        assert "''=" not in text
        sheet = load_workbook(io.BytesIO(client.get(url, {"nam": 2025, "xuat": "xlsx"}).content)).active
        assert sheet["D1"].value == "Năm 2024" and sheet["E1"].value == "Năm 2025"
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "II.2.1")
        assert row[1] == "=Tỷ trọng thử" and row[5] == "Có nguy cơ"
