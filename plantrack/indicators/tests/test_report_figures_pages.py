"""Figures where decisions are made (issue 15): the agency's figures are entered inside the report form with the
figure page's validation, and shown read-only, with the reason, on the report, the review (return) form and the
frozen submission once the report is sent."""

import re
from decimal import Decimal

from plantrack.indicators.models import YearlyFigure
from plantrack.reporting.models import AgencyReport

from .test_views import _submit, in_march_2026, login, post_data, report_a  # noqa: F401  (fixtures)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _report_form(report: AgencyReport, **extra) -> dict:
    data = {
        "version": report.version,
        "data_as_of": "",
        "main_results": "Kết quả",
        "shortcomings": "",
        "next_year": "",
    }
    for e in report.entries.all():
        data.update(
            {f"e{e.pk}-status": "in_progress", f"e{e.pk}-results": "Đã làm", f"e{e.pk}-difficulties": ""}
        )
    data.update(extra)
    return data


def test_figures_are_entered_in_the_report_form(client, world, report_a):  # noqa: F811
    login(client, world.reporter_a)
    page = client.get(f"/bao-cao/{report_a.pk}/sua/")
    assert f'name="d{world.share.pk}-value"' in page.content.decode()
    response = client.post(
        f"/bao-cao/{report_a.pk}/sua/",
        _report_form(report_a, **post_data(world, share=("45,5", "Niên giám", ""))),
    )
    assert response.status_code == 302
    figure = YearlyFigure.objects.get(definition=world.share, year=2025)
    assert (figure.value, figure.report_id) == (Decimal("45.5"), report_a.pk)


def test_a_bad_figure_keeps_the_report_saved_and_the_figure_typed(client, world, report_a):  # noqa: F811
    login(client, world.reporter_a)
    response = client.post(
        f"/bao-cao/{report_a.pk}/sua/", _report_form(report_a, **post_data(world, share=("abc", "", "")))
    )
    assert response.status_code == 200
    text = _text(response)
    assert "số liệu chỉ tiêu chưa hợp lệ" in text and 'value="abc"' in text
    report_a.refresh_from_db()
    assert (
        report_a.main_results == "Kết quả"
        and not YearlyFigure.objects.filter(definition=world.share).exists()
    )


def test_sent_report_shows_figures_read_only_with_the_reason(client, world, report_a):  # noqa: F811
    login(client, world.reporter_a)
    client.post(
        f"/bao-cao/{report_a.pk}/sua/",
        _report_form(report_a, **post_data(world, share=("45,5", "Niên giám", ""))),
    )
    report = _submit(report_a, world.head_a)
    for user, url in (
        (world.reporter_a, f"/bao-cao/{report.pk}/"),
        (world.coordinator, f"/bao-cao/{report.pk}/"),
        (world.coordinator, f"/bao-cao/{report.pk}/tra-lai/"),
        (world.coordinator, f"/bao-cao/{report.pk}/lan-gui/1/"),
    ):
        login(client, user)
        text = _text(client.get(url))
        assert "Số liệu chỉ tiêu do đơn vị cung cấp" in text, url
        assert "45,5" in text and "Niên giám" in text, url
        assert re.search(r"Báo cáo đã gửi ngày \d\d/\d\d/\d{4} — số liệu chỉ xem", text), url
        assert f'name="d{world.share.pk}-value"' not in text, url


def test_the_figure_page_shows_a_sent_reports_figure_read_only(client, world, report_a):  # noqa: F811
    login(client, world.reporter_a)
    client.post(
        f"/bao-cao/{report_a.pk}/sua/",
        _report_form(report_a, **post_data(world, share=("45,5", "Niên giám", ""))),
    )
    _submit(report_a, world.head_a)
    text = _text(client.get("/chi-tieu/nhap-so-lieu/?nam=2025"))
    assert re.search(r"Báo cáo đã gửi ngày \d\d/\d\d/\d{4} — số liệu chỉ xem", text)
    assert f'name="d{world.share.pk}-value"' not in text
    # A POST for that row changes nothing (and is not an error: the row is not offered).
    client.post("/chi-tieu/nhap-so-lieu/?nam=2025", post_data(world, share=("50", "", "")))
    assert YearlyFigure.objects.get(definition=world.share, year=2025).value == Decimal("45.5")
    # The plan's coordinator may still correct it.
    login(client, world.coordinator)
    assert (
        f'name="d{world.share.pk}-value"' in client.get("/chi-tieu/nhap-so-lieu/?nam=2025").content.decode()
    )


def test_a_figure_entered_on_the_figure_page_shows_in_the_cached_report_form(client, world, report_a):  # noqa: F811
    """The report form's body is cached (reporting.views._report_edit_page): a figure recorded outside the report
    (the figure page) shows in the form on the very next GET, and the coordinator's figure too."""
    from plantrack.indicators.services import figure_record

    login(client, world.reporter_a)
    assert "37,25" not in _text(client.get(f"/bao-cao/{report_a.pk}/sua/"))
    figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="37,25", source_note="Sổ")
    assert "37,25" in _text(client.get(f"/bao-cao/{report_a.pk}/sua/"))
    figure_record(actor=world.reporter_a, indicator=world.share, year=2024, value="12,5", source_note="Sổ")
    assert "12,5" in _text(client.get(f"/bao-cao/{report_a.pk}/sua/"))  # the year before, beside it
