"""The inspection page's two tables as files: the inspection plans and the agency's recommendations."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from plantrack.inspection.models import InspectionPlan, Recommendation


def test_inspection_plans_export_with_formulas_escaped_once(client, world, inspection, visit):
    InspectionPlan.objects.filter(pk=inspection.pk).update(title="=Kiểm tra 99")
    client.force_login(world.coordinator)
    url = reverse("inspection:index")
    assert "xuat=csv" in client.get(url).content.decode()
    text = client.get(url, {"xuat": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[1] == f"2025,'=Kiểm tra 99,15/KH-SKHCN,01/03/2025,{world.plan.code},1,0"
    assert "''=" not in text
    sheet = load_workbook(io.BytesIO(client.get(url, {"xuat": "xlsx"}).content)).active
    assert sheet["B2"].value == "=Kiểm tra 99" and sheet["B2"].data_type == "s"


def test_recommendations_export_for_the_agency(client, world, recommendation):
    Recommendation.objects.filter(pk=recommendation.pk).update(text="+Ban hành kế hoạch")
    client.force_login(world.head_a)
    url = reverse("inspection:index")
    html = client.get(url).content.decode()
    assert "xuat=csv&amp;bang=kien-nghi" in html
    text = client.get(url, {"xuat": "csv", "bang": "kien-nghi"}).content.decode("utf-8-sig")
    line = text.splitlines()[1]
    assert line.startswith(f"{world.a.name},'+Ban hành kế hoạch,15/11/2025,")
    assert "''+" not in text
