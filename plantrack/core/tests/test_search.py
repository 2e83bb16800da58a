from plantrack.core.search import query_terms


def test_control_characters_separate_words_and_never_reach_the_database():
    # PostgreSQL refuses NUL in a text parameter: "?q=%00" used to answer 500 there.
    assert query_terms("\x00") == []
    assert query_terms("Sở\x00khoa\x1fhọc") == ["khoa", "hoc", "so"]
