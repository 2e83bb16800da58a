"""One Vietnamese sort order (core.text.vi_sort_key): the alphabet a ă â b c d đ e ê …, tones after base letters."""

import pytest

from plantrack.core.text import vi_sort_key, vi_sorted


def test_agency_names_sort_in_the_vietnamese_alphabet():
    names = ["Văn phòng UBND tỉnh", "Ủy ban nhân dân tỉnh", "Điện lực Đồng Nai", "Đài Phát thanh", "Dân tộc"]
    assert vi_sorted(names) == [
        "Dân tộc",  # d before đ: folding would mix them
        "Đài Phát thanh",
        "Điện lực Đồng Nai",
        "Ủy ban nhân dân tỉnh",  # u before v: binary order puts "Ủ" (U+1EE6) after "V"
        "Văn phòng UBND tỉnh",
    ]


@pytest.mark.parametrize(
    "ordered",
    [
        ["an", "ăn", "ân", "bé"],
        ["do", "đa"],
        ["em", "êm", "gà"],
        ["on", "ôn", "ơn", "pa"],
        ["un", "ưn", "va"],
        # tones: ngang, huyền, hỏi, ngã, sắc, nặng; second level only (a letter difference wins)
        ["ba", "bà", "bả", "bã", "bá", "bạ", "bác"],
        ["má", "mạ", "mai"],
        # a space before any letter, lower case before upper case at equal letters and tones
        ["An Giang", "Anh"],
        ["sở", "Sở"],
    ],
)
def test_order(ordered):
    shuffled = ordered[1:] + ordered[:1]  # not already in order, so the sort has work to do
    assert sorted(shuffled, key=vi_sort_key) == ordered


def test_composed_and_decomposed_text_sort_alike():
    import unicodedata

    word = "Ủy ban"
    assert vi_sort_key(unicodedata.normalize("NFD", word)) == vi_sort_key(word)


def test_sorted_by_key_and_empty_values():
    rows = [{"name": "Ủy ban"}, {"name": None}, {"name": "Đài"}]
    assert [r["name"] for r in vi_sorted(rows, key=lambda r: r["name"])] == [None, "Đài", "Ủy ban"]


NAMES = [
    "Văn phòng UBND tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Đài Phát thanh và Truyền hình Đồng Nai",
    "Dân tộc",
    "Điện lực Đồng Nai",
    "Sở Y tế",
    "Sở Xây dựng",
    "An Giang",
    "Anh",
    "an",
    "Ấp 1",
    "Sở Tài chính",
    "Sở Tài nguyên",
    "Trường 2",
    "Trường 10",
    "bà",
    "ba",
    "bá",
]


def test_the_stored_collation_string_sorts_as_the_key():
    """``Agency.sort_key`` is ordered by the database as plain text: its order must be the key's, always."""
    from plantrack.core.text import vi_sort_key, vi_sort_string

    assert sorted(NAMES, key=vi_sort_string) == sorted(NAMES, key=vi_sort_key)
    assert all(set(vi_sort_string(n)) <= set("0123456789abcdef") for n in NAMES)


@pytest.mark.django_db
def test_agencies_sort_in_sql_in_vietnamese_order():
    from plantrack.core.text import vi_sort_key
    from plantrack.orgs.models import Agency
    from plantrack.orgs.tests.factories import AgencyFactory

    for name in NAMES:
        AgencyFactory(name=name)
    in_sql = list(Agency.objects.filter(name__in=NAMES).order_by("sort_key").values_list("name", flat=True))
    assert in_sql == sorted(NAMES, key=vi_sort_key)
    # a rename saved with update_fields=["name"] moves the agency in the order too
    renamed = Agency.objects.get(name="Anh")
    renamed.name = "Ấp 2"
    renamed.save(update_fields=["name"])
    names = list(
        Agency.objects.filter(name__in=[*NAMES, "Ấp 2"]).order_by("sort_key").values_list("name", flat=True)
    )
    assert names.index("Ấp 2") == names.index("Ấp 1") + 1
