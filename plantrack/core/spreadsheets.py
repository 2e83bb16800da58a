"""One writer rule for every spreadsheet the product exports: text typed by a user never becomes a formula.

Text such as ``=HYPERLINK("http://evil", "Bấm vào đây")`` or ``=cmd|' /C calc'!A0`` would run as a formula (or
DDE command) when a coordinator opens the export (CSV injection, OWASP). Two writers, two treatments (the choice
is explained in docs/decisions.md):

- XLSX (openpyxl): ``spreadsheet_cell`` stores every ``str`` as a *text* cell. openpyxl otherwise turns any string
  starting with ``=`` into a formula. A text cell is never evaluated, and the agency's text comes back unchanged
  in the Excel round trip.
- CSV has no cell types, so ``csv_safe`` prefixes a single quote to text starting with ``= + - @`` or a tab or
  carriage return, which spreadsheet programs show as text. ``csv_writer`` applies it to every row.

Numbers, dates and ``None`` pass through unchanged (a negative number is a number, not a formula).
"""

from __future__ import annotations

import csv

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(cell):
    """Store ``cell``'s string value as text, never as a formula; one that starts like a formula also gets Excel's
    quote prefix, so editing the cell in Excel does not turn it into one either."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def spreadsheet_cell(ws, *, row: int, column: int, value=None):
    """``ws.cell(row=, column=, value=)`` where a string is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    return keep_as_text(cell)


def csv_safe(value):
    """``value`` with a leading single quote when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_safe(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> _SafeWriter:
    """``csv.writer(stream, **kwargs)`` whose rows pass through ``csv_safe``."""
    return _SafeWriter(csv.writer(stream, **kwargs))
