from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from consultations.dates import format_date_range

CASES = [
    # (start, end, English, French, Spanish)
    (date(2015, 9, 18), None, "18 September 2015", "18 septembre 2015", "18 de septiembre de 2015"),
    (
        date(2017, 9, 11),
        date(2017, 9, 12),
        "11-12 September 2017",
        "11-12 septembre 2017",
        "11-12 de septiembre de 2017",
    ),
    (
        date(2017, 9, 30),
        date(2017, 10, 2),
        "30 September-2 October 2017",
        "30 septembre-2 octobre 2017",
        "30 de septiembre-2 de octubre de 2017",
    ),
    (
        date(2017, 12, 30),
        date(2018, 1, 2),
        "30 December 2017-2 January 2018",
        "30 décembre 2017-2 janvier 2018",
        "30 de diciembre de 2017-2 de enero de 2018",
    ),
    (date(2016, 11, 4), date(2016, 11, 4), "4 November 2016", "4 novembre 2016", "4 de noviembre de 2016"),
]


@pytest.mark.parametrize("start, end, en, fr, es", CASES)
def test_date_range_in_each_language(start, end, en, fr, es):
    for language, expected in (("en", en), ("fr", fr), ("es", es)):
        with translation.override(language):
            assert format_date_range(start, end) == expected, language


def test_template_filter_and_tag():
    template = Template(
        "{% load consultation_tags %}{{ start|date_range:end }} | {{ start|date_range }} | {% event_dates event %}"
    )

    class Event:
        start_date = date(2017, 9, 11)
        end_date = date(2017, 9, 12)

    context = Context({"start": date(2017, 9, 11), "end": date(2017, 9, 12), "event": Event()})
    with translation.override("es"):
        html = template.render(context)
    assert html == (
        "11-12 de septiembre de 2017 | 11 de septiembre de 2017 | "
        '<time datetime="2017-09-11">11-12 de septiembre de 2017</time>'
    )


def test_empty_start_renders_nothing():
    assert format_date_range(None) == ""
