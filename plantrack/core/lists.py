"""Lists people can use: one pagination and one table export (XLSX and CSV) for every list page.

A list view pages its rows with ``paginate`` and renders ``includes/pagination.html``; a table page offers
``includes/export_links.html`` ("Tải Excel (XLSX)", "Tải CSV") and answers ``?xuat=xlsx`` / ``?xuat=csv`` with
``table_export``. Both links keep the page's filters (Django's ``{% querystring %}``), so what is exported is what
is shown, every page of it. Cells go through ``core.spreadsheets``: text typed by a user never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify

from .spreadsheets import csv_writer, spreadsheet_cell

PAGE_SIZE = 50
EXPORT_PARAM = "xuat"
EXPORT_FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def paginate(request, items, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of ``items`` asked for by ``?page=`` (the last page past the end, the first on nonsense)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def redirect_back(request, fallback: str, *args) -> HttpResponseRedirect:
    """After a POST on a filtered list: back to the page it came from, filters and page kept.

    The form carries ``next`` (``<input type="hidden" name="next" value="{{ request.get_full_path }}">``); only a
    path on this site is followed, anything else falls back to ``fallback`` (a URL name or path, with ``args``)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(resolve_url(fallback, *args))


def export_format(request) -> str | None:
    """``"xlsx"`` or ``"csv"`` when the request asks for the table as a file, else ``None``."""
    value = request.GET.get(EXPORT_PARAM, "").lower()
    return value if value in EXPORT_FORMATS else None


def _plain(value):
    """Cells are text, numbers, dates or empty; anything else (a lazy translation, a model) becomes its text."""
    if value is None or isinstance(value, (str, int, float)) or hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    try:
        from decimal import Decimal

        if isinstance(value, Decimal):
            return value
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def table_export(
    *, fmt: str, filename: str, headers: Sequence, rows: Iterable[Sequence], title: str = ""
) -> HttpResponse:
    """The table as a download: ``fmt`` ``"xlsx"`` (one sheet, bold header row, frozen) or ``"csv"`` (UTF-8 with a
    byte-order mark so Excel reads Vietnamese letters). ``filename`` is without extension; it is made ASCII."""
    stem = slugify(filename) or "bang"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv_writer(buffer)
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = (str(title) or "Bang")[:31].replace("/", "-").replace(":", " ")
        widths = [len(str(h)) for h in headers]
        for column, header in enumerate(headers, 1):
            spreadsheet_cell(sheet, row=1, column=column, value=str(header)).font = Font(bold=True)
        for r, row in enumerate(rows, 2):
            for column, value in enumerate(row, 1):
                cell = spreadsheet_cell(sheet, row=r, column=column, value=_plain(value))
                if hasattr(cell.value, "year"):
                    cell.number_format = "DD/MM/YYYY HH:MM" if hasattr(cell.value, "hour") else "DD/MM/YYYY"
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], min(len(str(value or "")), 60))
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = max(8, width + 2)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _csv_value(value):
    value = _plain(value)
    if hasattr(value, "hour"):
        return value.strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "year"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if value is None:
        return ""
    return value
