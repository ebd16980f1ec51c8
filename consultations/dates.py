"""Dates and date ranges written the way the active language writes them."""

from django.utils.formats import date_format, get_format

SEPARATOR = "-"  # as the organisation writes ranges: "11-12 September 2017"


def format_date_range(start, end=None):
    """'18 September 2015', '11-12 September 2017', '30 September-2 October 2017',
    '30 December 2017-2 January 2018'; in French '11-12 septembre 2017', in Spanish
    '11-12 de septiembre de 2017'. The parts come from the language's DATE_FORMAT and
    MONTH_DAY_FORMAT, so only what the two dates share is written once.
    """
    if start is None:
        return ""
    if end is None or end == start:
        return date_format(start, "DATE_FORMAT")
    full_end = date_format(end, "DATE_FORMAT")
    if start.year != end.year or end < start:
        return f"{date_format(start, 'DATE_FORMAT')}{SEPARATOR}{full_end}"
    # Only a day-first format lets the day stand alone before the shared month ("11-12 September").
    day_first = get_format("DATE_FORMAT").startswith(("j", "d"))
    if start.month == end.month and day_first:
        return f"{date_format(start, 'j')}{SEPARATOR}{full_end}"
    return f"{date_format(start, 'MONTH_DAY_FORMAT')}{SEPARATOR}{full_end}"
