"""Key figures for people: localised numbers, the bar chart geometry, CSV and JSON rows.

The chart is drawn on the server (``templates/regions/includes/bar_chart.svg``) from the
geometry computed here: one chart per comparable unit, so people and per cent never share
an axis, and one ``<rect>`` per figure.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.models import KeyFigure

MINUS = "\u2212"
SCALES = (
    (Decimal(1_000_000_000), lambda n, count: ngettext("%(number)s billion", "%(number)s billion", count) % n),
    (Decimal(1_000_000), lambda n, count: ngettext("%(number)s million", "%(number)s million", count) % n),
)


def plain_number(value):
    """'72500000', '8.7': no exponent, no trailing zeros, no grouping (for files)."""
    return format(Decimal(value).normalize(), "f")


def json_number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _localised(value, max_places=2):
    value = Decimal(value).quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_value(value, unit, currency_code=""):
    """The value as a visitor reads it, in the active language: '72.5 million', '8.7%'."""
    value = Decimal(value)
    sign = MINUS if value < 0 else ""
    magnitude = abs(value)
    if unit == KeyFigure.Unit.PERCENT:
        return sign + _("%(number)s%%") % {"number": _localised(magnitude)}
    text = _localised(magnitude)
    for threshold, word in SCALES:
        if magnitude >= threshold:
            scaled = magnitude / threshold
            text = word({"number": _localised(scaled, 2)}, int(scaled))
            break
    if unit == KeyFigure.Unit.CURRENCY:
        return sign + _("%(currency)s %(amount)s") % {"currency": currency_code, "amount": text}
    return sign + text


def unit_heading(unit_key):
    if unit_key.startswith("currency-"):
        return _("Amounts in %(currency)s") % {"currency": unit_key.removeprefix("currency-").upper()}
    return {
        KeyFigure.Unit.PEOPLE: _("Number of people"),
        KeyFigure.Unit.PERCENT: _("Per cent"),
        KeyFigure.Unit.NUMBER: _("Numbers"),
    }.get(unit_key, unit_key)


@dataclass
class Bar:
    figure: KeyFigure
    value_text: str
    x: str
    width: str
    label_y: str
    bar_y: str
    value_x: str
    value_anchor: str
    text_y: str


@dataclass
class Chart:
    key: str
    heading: str
    description: str
    width: str
    height: str
    zero_x: str
    bar_height: str
    bars: list = field(default_factory=list)


WIDTH = 640
ROW = 52
BAR_HEIGHT = 20
VALUE_ROOM = 130  # room for the value text beside the longest bar


def _coord(number):
    """SVG coordinates as text: the template must not localise them (12,5 in French)."""
    return f"{number:.1f}".removesuffix(".0")


def group_by_unit(figures):
    """``[(unit_key, [figures])]`` in the order the units first appear."""
    groups = {}
    for figure in figures:
        groups.setdefault(figure.unit_key, []).append(figure)
    return list(groups.items())


def bar_charts(figures, region_title):
    """One chart per unit group. Bars grow from zero: right for positive, left for negative values."""
    charts = []
    for key, group in group_by_unit(figures):
        values = [Decimal(figure.value) for figure in group]
        low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
        if key == KeyFigure.Unit.PERCENT:
            high = max(high, Decimal(100))  # shares are drawn against the whole, not the largest share
        left_room = VALUE_ROOM if low < 0 else 0
        right_room = VALUE_ROOM if high > 0 else 0
        plot = WIDTH - left_room - right_room
        span = (high - low) or Decimal(1)
        zero_x = left_room + float(-low / span) * plot
        bars = []
        descriptions = []
        for index, figure in enumerate(group):
            value = Decimal(figure.value)
            length = float(abs(value) / span) * plot
            if value and length < 1:
                length = 1.0  # a tiny value is still visible
            top = index * ROW
            value_text = format_value(value, figure.unit, figure.currency_code)
            negative = value < 0
            bars.append(
                Bar(
                    figure=figure,
                    value_text=value_text,
                    x=_coord(zero_x - length if negative else zero_x),
                    width=_coord(length),
                    label_y=_coord(top + 16),
                    bar_y=_coord(top + 24),
                    value_x=_coord(zero_x - length - 6 if negative else zero_x + length + 6),
                    value_anchor="end" if negative else "start",
                    text_y=_coord(top + 24 + BAR_HEIGHT - 5),
                )
            )
            year = f" ({figure.year})" if figure.year else ""
            descriptions.append(f"{figure.label}: {value_text}{year}")
        heading = unit_heading(key)
        description = ngettext(
            "Bar chart of %(count)s key figure for %(region)s. %(items)s.",
            "Bar chart of %(count)s key figures for %(region)s. %(items)s.",
            len(group),
        ) % {
            "count": len(group),
            "region": region_title,
            "items": "; ".join(descriptions),
        }
        charts.append(
            Chart(
                key=key,
                heading=heading,
                description=description,
                width=_coord(WIDTH),
                height=_coord(len(group) * ROW + 8),
                zero_x=_coord(zero_x),
                bar_height=_coord(BAR_HEIGHT),
                bars=bars,
            )
        )
    return charts


def figure_rows(figures):
    """Rows for the CSV and JSON downloads, in the active language."""
    return [
        {
            "label": figure.label,
            "value": figure.value,
            "unit": figure.unit,
            "currency": figure.currency_code,
            "year": figure.year,
            "source": figure.source,
            "source_url": figure.source_url,
        }
        for figure in figures
    ]
