"""Inspection tests reuse the small world of the reporting tests (plan "99/KH-UBND", agencies A, B, C, the
department D and the personas of STYLE.md); tests run on 20/11/2025 unless they travel elsewhere."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plantrack.inspection import services
from plantrack.reporting.tests.conftest import (  # noqa: F401  (fixtures)
    VN,
    World,
    before_due_date,
    fast_passwords,
    world,
)


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def inspection(world):  # noqa: F811
    return services.inspection_plan_create(
        actor=world.coordinator,
        plan=world.plan,
        agencies=[world.a, world.b],
        year=2025,
        title="Kiểm tra việc thực hiện Kế hoạch 99 năm 2025",
        number="15/KH-SKHCN",
        document_date=datetime.date(2025, 3, 1),
        scope="Kiểm tra việc triển khai các nhiệm vụ được giao.",
        team_lead="Nguyễn Văn Trưởng",
        team_members="Trần Thị Một\nLê Văn Hai",
    )


@pytest.fixture
def visit(world, inspection):  # noqa: F811
    return services.visit_create(
        actor=world.coordinator,
        inspection=inspection,
        agency=world.a,
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 10, 2),
        findings="Đơn vị chưa ban hành kế hoạch triển khai.",
        minutes=pdf(),
    )


@pytest.fixture
def recommendation(world, visit):  # noqa: F811
    return services.recommendation_issue(
        actor=world.coordinator,
        visit=visit,
        text="Ban hành kế hoạch triển khai",
        deadline=datetime.date(2025, 11, 15),
    )
