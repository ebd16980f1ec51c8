"""Cells for CSV downloads that a spreadsheet program opens as data, never as a formula."""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def spreadsheet_cell(value):
    """``value`` as CSV text; one that starts like a formula gets a leading apostrophe (kept as text).

    Numbers, negative ones included, are left as they are: a spreadsheet reads them as numbers.
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.match(text):
        return "'" + text
    return text
