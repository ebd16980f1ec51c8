"""Key figures for people: localised numbers, the bar chart geometry, CSV and JSON rows.

The chart is drawn on the server (``templates/regions/includes/bar_chart.html``) from the
geometry computed here: one chart per comparable unit, so people and per cent never share
an axis. Each figure is a list item: its label is HTML text (it wraps on a phone and keeps
the page's type size) over a one-bar SVG whose coordinates are percentages of the width and
which has no viewBox, so nothing is scaled down on a narrow screen. The value sits after the
bar's end (or, for a negative bar, after the zero line), so it never crosses a label.
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
    value_x: str
    negative: bool


@dataclass
class Chart:
    key: str
    heading: str
    zero_x: str
    bars: list = field(default_factory=list)


PLOT = Decimal(62)  # per cent of the width the bars may span; the rest holds the longest value


def _percent(number):
    """An SVG length in per cent, never localised (12,5 in French)."""
    return f"{number:.2f}".rstrip("0").rstrip(".") + "%"


def group_by_unit(figures):
    """``[(unit_key, [figures])]`` in the order the units first appear."""
    groups = {}
    for figure in figures:
        groups.setdefault(figure.unit_key, []).append(figure)
    return list(groups.items())


def bar_charts(figures):
    """One chart per unit group. Bars grow from zero: right for positive, left for negative values."""
    charts = []
    for key, group in group_by_unit(figures):
        values = [Decimal(figure.value) for figure in group]
        low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
        if key == KeyFigure.Unit.PERCENT:
            high = max(high, Decimal(100))  # shares are drawn against the whole, not the largest share
        span = (high - low) or Decimal(1)
        zero = -low / span * PLOT
        bars = []
        for figure, value in zip(group, values, strict=True):
            length = abs(value) / span * PLOT
            if value and length < Decimal("0.4"):
                length = Decimal("0.4")  # a tiny value is still visible
            negative = value < 0
            bars.append(
                Bar(
                    figure=figure,
                    value_text=format_value(value, figure.unit, figure.currency_code),
                    x=_percent(zero - length if negative else zero),
                    width=_percent(length),
                    value_x=_percent(zero if negative else zero + length),
                    negative=negative,
                )
            )
        charts.append(Chart(key=key, heading=unit_heading(key), zero_x=_percent(zero), bars=bars))
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
