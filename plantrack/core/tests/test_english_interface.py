"""The English interface: switching the language turns the pages' words into English, including issue 15's and
the pages added since (inspections, plan amendments, measurement set-up, escalation to the UBND tỉnh)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from plantrack.inspection import services as inspection
from plantrack.plans.amendments import amendment_create
from plantrack.plans.tests.factories import TargetFactory
from plantrack.reporting.tests.conftest import (  # noqa: F401  (fixtures)
    before_due_date,
    cycle,
    fast_passwords,
    world,
)
from plantrack.reporting.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_switching_to_english_and_back():
    user = UserFactory(username="an")
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/thong-bao/"})
    html = client.get("/thong-bao/").content.decode()
    assert '<html lang="en">' in html
    assert "Menu" in html and "Trình đơn" not in html
    assert "Swipe sideways to see more" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/thong-bao/"})
    html = client.get("/thong-bao/").content.decode()
    assert '<html lang="vi">' in html and "Trình đơn" in html


def _english_pages(client, w, opened):
    """The coordinator's view of the new pages: an inspection plan, a draft amendment, a target not yet set up and
    the escalation page of an open cycle with nobody late."""
    inspection.inspection_plan_create(
        actor=w.coordinator,
        plan=w.plan,
        agencies=[w.a],
        year=2025,
        title="Kiểm tra năm 2025",
        number="15/KH-SKHCN",
        document_date=datetime.date(2025, 3, 1),
        scope="Kiểm tra việc triển khai.",
        team_lead="Nguyễn Văn Trưởng",
        team_members="",
    )
    amendment_create(
        actor=w.coordinator,
        plan=w.plan,
        number="120/KH-UBND",
        issued_on=datetime.date(2025, 6, 2),
        issuer="Ủy ban nhân dân tỉnh",
        title="Sửa đổi Kế hoạch 99",
    )
    TargetFactory(plan=w.plan)
    return {
        "inspection": client.get(reverse("inspection:index")),
        "amendments": client.get(reverse("plans:amendment_list", args=[w.plan.pk])),
        "measurement": client.get(reverse("indicators:setup", args=[w.plan.pk])),
        "escalation": client.get(reverse("monitoring:escalation_create", args=[opened.pk])),
        "home": client.get(reverse("home")),
    }


def test_new_pages_in_english_for_a_coordinator(
    world,  # noqa: F811
    cycle,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = Client()
    client.force_login(world.coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pages = {
        name: response.content.decode() for name, response in _english_pages(client, world, cycle).items()
    }
    expected = {
        "inspection": (
            [
                "Inspection and supervision of plan implementation",
                "Create an inspection plan",
                "Open recommendations",
            ],
            ["Kiểm tra, giám sát thực hiện kế hoạch", "Lập kế hoạch kiểm tra", "Kiến nghị chưa đóng"],
        ),
        "amendments": (
            ["Documents amending Plan", "Enter an amending document", "Being drafted"],
            ["Văn bản sửa đổi, bổ sung Kế hoạch", "Nhập văn bản sửa đổi, bổ sung", "Đang soạn"],
        ),
        "measurement": (
            ["Target measurement set-up", "1 target has no measurement set up yet", "Not set up"],
            ["Thiết lập đo lường các chỉ tiêu", "chưa thiết lập cách đo", "Chưa thiết lập"],
        ),
        "escalation": (
            [
                "Late and missing agencies",
                "Report to the Provincial People",
                "No agency is late or missing its report",
            ],
            [
                "Danh sách đơn vị chậm, chưa báo cáo",
                "Báo cáo UBND tỉnh",
                "Không có đơn vị nào chậm hoặc chưa gửi báo cáo",
            ],
        ),
    }
    expected["home"] = (  # the plan summary counts tasks by state: none has an accepted report yet
        ["Plan coordination", "no accepted report yet"],
        ["Điều phối kế hoạch", "chưa có báo cáo được tiếp nhận"],
    )
    for name, (english, vietnamese) in expected.items():
        html = pages[name]
        assert '<html lang="en">' in html, name
        for words in english:
            assert words in html, (name, words)
        for words in vietnamese:
            assert words not in html, (name, words)
