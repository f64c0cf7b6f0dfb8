"""Reading the secretariat's downloads in tests: an XLSX as Excel opens it, a CSV with the mark Excel needs."""

import csv
import io

import httpx
import openpyxl


def sheet_of(response: httpx.Response) -> list[list]:
    """An XLSX download's only sheet as rows of values (after checking its type, file name and right-to-left view)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_of(response: httpx.Response) -> list[list[str]]:
    """A CSV download's rows (after checking the byte-order mark Excel needs to read Persian)."""
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
