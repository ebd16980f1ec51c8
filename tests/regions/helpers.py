"""Helpers of the regions tests (the ``make_*`` builders live in ``tests/regions/factories.py``)."""

import re
import xml.etree.ElementTree as ET

from regions.iso3166 import COUNTRY_CODES
from tests.regions.factories import (  # noqa: F401  (older imports)
    build_americas,
    make_country,
    make_figure,
    make_office,
    make_region,
    make_trend,
)

CODES = sorted(COUNTRY_CODES)


def consultation_models():
    """``(ConsultationSeries, ConsultationEvent)``, or ``(None, None)`` while that app has no models yet."""
    try:
        from consultations.models import ConsultationEvent, ConsultationSeries
    except ImportError:
        return None, None
    return ConsultationSeries, ConsultationEvent


def svgs(html):
    """Every inline ``<svg>`` of a page, parsed as XML."""
    return [ET.fromstring(block) for block in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]


SVG = "{http://www.w3.org/2000/svg}"


def bar_charts_of(html):
    """Each ``<ul class="bar-chart">`` of a page, parsed as XML: one ``<li>`` (label, one-bar SVG) a figure."""
    return [ET.fromstring(block) for block in re.findall(r'<ul class="bar-chart">.*?</ul>', html, flags=re.DOTALL)]
