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
