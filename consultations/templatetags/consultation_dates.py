from django import template
from django.utils.html import format_html

from consultations.dates import format_date_range

register = template.Library()


@register.filter
def date_range(start, end=None):
    """``{{ event.start_date|date_range:event.end_date }}`` → "11-12 September 2017", localised."""
    return format_date_range(start, end)


@register.simple_tag
def event_dates(event):
    """The event's date or date range in a ``<time>`` element (machine-readable first day)."""
    if not event or not event.start_date:
        return ""
    text = format_date_range(event.start_date, event.end_date)
    return format_html('<time datetime="{}">{}</time>', event.start_date.isoformat(), text)
