"""Search over agencies and tasks, ignoring diacritics and case, with highlighted results."""

import re

import pytest
from django.urls import reverse

from plantrack.core.search import query_terms
from plantrack.core.templatetags.plantrack_ui import excerpt, highlight_text
from plantrack.core.tests import pages_fixtures

pytestmark = pytest.mark.django_db
ROLES = pages_fixtures.ROLES
default_data = pages_fixtures.default_data
personas = pages_fixtures.personas


def _search(client, user, q):
    client.force_login(user)
    return client.get(reverse("search"), {"q": q})


def _names(response) -> list[str]:
    return [a.name for a in response.context["agencies"]]


def test_search_renders_for_every_role(client, personas):
    # One database load for every role: the default data takes seconds to load.
    for role in ROLES:
        response = _search(client, personas[role], "so khoa hoc")
        assert response.status_code == 200
        assert _names(response)[0] == "Sở Khoa học và Công nghệ"


AGENCY_QUERIES = [
    ("so khoa hoc", "Sở Khoa học và Công nghệ"),
    ("SO KHOA HOC VA CONG NGHE", "Sở Khoa học và Công nghệ"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("sở kh&cn", "Sở Khoa học và Công nghệ"),
    ("dong nai", "Báo Đồng Nai"),
    ("bien hoa", "Ủy ban nhân dân thành phố Biên Hòa"),
    (
        "mat tran to viet nam",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai",
    ),  # an alias as the plan writes it
]


def test_search_agencies_ignores_diacritics_and_case(client, personas):
    for query, expected in AGENCY_QUERIES:
        assert expected in _names(_search(client, personas["reporter"], query)), query


def test_search_matches_word_starts_not_inside_words(client, personas):
    """ "so" must not find "soát"; each word of the query starts a word of the result."""
    response = _search(client, personas["reporter"], "so khoa hoc")
    assert _names(response) == ["Sở Khoa học và Công nghệ"]
    for task in response.context["tasks"]:
        folded = " " + task.search_text
        assert all(f" {t}" in folded or f"({t}" in folded for t in query_terms("so khoa hoc"))


def test_search_tasks_and_highlight(client, personas):
    response = _search(client, personas["head"], "chuyen giao cong nghe")
    codes = [t.code for t in response.context["tasks"]]
    assert "III.5.b" in codes
    html = response.content.decode()
    assert "<mark>chuyển giao công nghệ</mark>" in html


def test_search_shows_task_code_search(client, personas):
    response = _search(client, personas["viewer"], "III.6.b")
    assert [t.code for t in response.context["tasks"]] == ["III.6.b"]


def test_search_empty_and_no_result_states(client, personas):
    empty = _search(client, personas["reporter"], "")
    assert "Nhập tên cơ quan" in empty.content.decode()
    none = _search(client, personas["reporter"], "xyzxyz khong co")
    text = re.sub(r"\s+", " ", none.content.decode())
    assert "Không tìm thấy kết quả nào cho “xyzxyz khong co”" in text


def test_search_escapes_the_query(client, personas):
    response = _search(client, personas["reporter"], "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    client.force_login(personas["reporter"])
    client.get(reverse("search"), {"q": "dong nai"})
    with django_assert_max_num_queries(20):
        client.get(reverse("search"), {"q": "dong nai"})


def test_search_requires_login(client, default_data):
    response = client.get(reverse("search"), {"q": "dong nai"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- highlighting, without the database ---------------------------------------------------------------------------


def test_highlight_marks_phrase_ignoring_diacritics():
    assert (
        str(highlight_text("Sở Khoa học và Công nghệ", "so khoa hoc"))
        == "<mark>Sở Khoa học</mark> và Công nghệ"
    )


def test_highlight_marks_each_word_at_word_start_and_escapes():
    html = str(highlight_text("Sở Tài chính & Sở Nội vụ <b>", "noi so"))
    assert html == "<mark>Sở</mark> Tài chính &amp; <mark>Sở</mark> <mark>Nội</mark> vụ &lt;b&gt;"
    assert str(highlight_text("rà soát", "so")) == "rà soát"


def test_excerpt_centres_on_the_first_match():
    text = "Mở đầu. " * 60 + "Hỗ trợ chuyển giao công nghệ cho doanh nghiệp. " + "Kết thúc. " * 60
    html = str(excerpt(text, "chuyen giao", 120))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>chuyển giao</mark>" in html


def test_search_pages_each_section_with_honest_totals(client, personas, django_assert_max_num_queries):
    client.force_login(personas["reporter"])
    overview = client.get(reverse("search"), {"q": "uy ban"})
    total = overview.context["agency_total"]
    assert total > 50 and len(overview.context["agencies"]) == 50  # 95 commune committees alone
    assert "muc=co-quan" in overview.content.decode()
    seen = []
    pages = (total + 49) // 50
    for number in range(1, pages + 1):
        with django_assert_max_num_queries(20):
            response = client.get(reverse("search"), {"q": "uy ban", "muc": "co-quan", "page": number})
        assert response.context["agency_total"] == total and response.context["tasks"] == []
        seen += _names(response)
    assert len(seen) == len(set(seen)) == total
    last = response.content.decode()
    assert f"Trang {pages}/{pages}" in last and "q=uy+ban&amp;muc=co-quan&amp;page=1" in last
