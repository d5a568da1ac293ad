"""Excel downloads: one way to send a workbook to the browser."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text that Excel would run as a formula (or a DDE command) when it starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value):
    """Keep text people typed as text in an export: openpyxl writes "=..." as a live formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_writer(stream):
    """A ``csv.writer`` whose rows go through :func:`text_cell`: a CSV opened in Excel runs
    "=HYPERLINK(…)" as a formula just as an xlsx cell would."""
    return _GuardedWriter(csv.writer(stream))


class _GuardedWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([text_cell(value) for value in row])


def xlsx_response(workbook: Workbook | bytes, filename: str) -> HttpResponse:
    """An attachment that is never cached (exports hold data scoped to the person who asked)."""
    if isinstance(workbook, Workbook):
        buffer = io.BytesIO()
        workbook.save(buffer)
        workbook = buffer.getvalue()
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response
