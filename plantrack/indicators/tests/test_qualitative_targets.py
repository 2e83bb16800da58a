"""A qualitative target (comparator "qualitative": no figure to measure) says so, in the same words, on the
measurement set-up page, the scorecard and the plan page; it is not counted as "not set up" and nothing invites a
unit or formula for it."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from plantrack.plans.models import Comparator
from plantrack.plans.tests.factories import TargetFactory

pytestmark = pytest.mark.django_db
NOTE = "Chỉ tiêu định tính — đánh giá bằng nhận xét"


@pytest.fixture(autouse=True)
def in_march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def qualitative(world):
    return TargetFactory(
        plan=world.plan,
        code="II.2.8",
        short_name="Văn hóa đổi mới sáng tạo",
        text="Hình thành văn hóa đổi mới sáng tạo trong cơ quan nhà nước",
        unit="",
        comparator=Comparator.QUALITATIVE,
        min_value=None,
        target_year=2030,
        order=8,
    )


def _row(html: str, code: str) -> str:
    """The table row of the target ``code``."""
    match = re.search(r"<tr[^>]*>\s*<td[^>]*>" + re.escape(code) + r"</td>.*?</tr>", html, re.S)
    assert match, code
    return match.group(0)


def test_the_setup_page_says_qualitative_and_offers_no_set_up(client, world, qualitative):
    client.force_login(world.coordinator)
    response = client.get(reverse("indicators:setup", args=[world.plan.pk]))
    html = response.content.decode()
    row = _row(html, "II.2.8")
    assert NOTE in row
    assert "Chưa thiết lập" not in row
    assert reverse("indicators:measure", args=[qualitative.pk]) not in html
    # the world's other targets are all set up: the page says so, never "0 left to set up"
    assert response.context["missing"] == 0
    assert "Còn 0" not in html and "Mọi chỉ tiêu đã có cách đo." in html
    assert response.context["missing"] == sum(
        1
        for r in response.context["rows"]
        if r["definition"] is None and not r["compound"] and not r["qualitative"]
    )


def test_the_measure_page_of_a_qualitative_target_sends_back_with_a_reason(client, world, qualitative):
    client.force_login(world.coordinator)
    response = client.get(reverse("indicators:measure", args=[qualitative.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("indicators:setup", args=[world.plan.pk])
    assert NOTE in response.content.decode()


def test_the_scorecard_and_the_plan_page_say_it_the_same_way(client, world, qualitative):
    client.force_login(world.coordinator)
    scorecard = client.get(reverse("indicators:scorecard", args=[world.plan.pk])).content.decode()
    row = _row(scorecard, "II.2.8")
    assert NOTE in row and "Chưa có số liệu" not in row
    # The plan page's target table says it through the same filter (shown where the plan's text places it).
    from plantrack.plans.templatetags.plan_targets import comparator_words, target_values

    assert comparator_words(qualitative) == NOTE and target_values(qualitative) == ""


def test_the_scorecard_export_says_it_the_same_way(client, world, qualitative):
    client.force_login(world.coordinator)
    text = client.get(reverse("indicators:scorecard", args=[world.plan.pk]), {"xuat": "csv"}).content.decode(
        "utf-8-sig"
    )
    row = next(line for line in text.splitlines() if line.startswith("II.2.8,"))
    assert NOTE in row and "Chưa có số liệu" not in row
