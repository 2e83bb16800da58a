"""The cycle page's table as a file: one row per agency with its state in words, the state filter kept."""

import io

from openpyxl import load_workbook

from plantrack.orgs.models import Agency
from plantrack.reporting.services import report_submit

from .conftest import fill


def test_cycle_table_exports_each_agency_state_in_words_with_the_filter_kept(client, world, cycle):
    Agency.objects.filter(pk=world.a.pk).update(name="=Sở Tài chính (thử)")
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report_a)
    client.force_login(world.coordinator)
    url = f"/bao-cao/ky/{cycle.pk}/"
    html = client.get(url, {"trang-thai": "submitted"}).content.decode()
    assert "trang-thai=submitted&amp;xuat=csv" in html
    text = client.get(url, {"trang-thai": "submitted", "xuat": "csv"}).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 2  # the header and the one submitted agency
    assert lines[1].startswith("'=Sở Tài chính (thử),Đã gửi,")
    assert "''=" not in text
    everyone = client.get(url, {"xuat": "xlsx"})
    sheet = load_workbook(io.BytesIO(everyone.content)).active
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["Sở Nội vụ (thử)", "=Sở Tài chính (thử)", "Sở Y tế (thử)"])
    assert all(cell.data_type == "s" for cell in sheet["A"])


def test_cycle_list_is_paged_and_exported(client, world, cycle):
    from plantrack.plans.models import Plan

    Plan.objects.filter(pk=world.plan.pk).update(number="=99")
    client.force_login(world.coordinator)
    page = client.get("/bao-cao/ky/")
    assert page.context["page"].paginator.count == 1 and "xuat=csv" in page.content.decode()
    text = client.get("/bao-cao/ky/", {"xuat": "csv"}).content.decode("utf-8-sig")
    code = Plan.objects.get(pk=world.plan.pk).code
    assert text.splitlines()[1].startswith(f"'{code},{cycle.label},05/12/2025,")
    assert "''=" not in text
