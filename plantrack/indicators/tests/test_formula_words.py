"""Formulas in words on the indicator page: labels, × and ÷, thousands separators; never the code."""

from django.utils import translation

from plantrack.indicators.formula import formula_words

LABELS = {"nhan_luc_rd": "Số người làm R&D", "dan_so": "dân số", "so_don": "Số đơn sáng chế"}


def test_names_become_labels_and_operators_signs():
    with translation.override("vi"):
        assert (
            formula_words("nhan_luc_rd / dan_so * 10000", labels=LABELS)
            == "Số người làm R&D ÷ dân số × 10.000"
        )


def test_previous_year_and_brackets():
    with translation.override("vi"):
        assert (
            formula_words("(so_don / prev(so_don) - 1) * 100", labels=LABELS)
            == "(Số đơn sáng chế ÷ Số đơn sáng chế năm trước − 1) × 100"
        )


def test_english_grouping():
    with translation.override("en"):
        assert formula_words("dan_so * 10000", labels=LABELS) == "dân số × 10,000"
