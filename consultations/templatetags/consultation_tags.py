from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consultations.dates import format_date_range
from iomsite.templatetags.iomsite import lang_attr

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


def _part(obj, field):
    """The field's text, wrapped in ``<span lang="en">`` when it falls back to English."""
    lang = lang_attr(obj, field)
    value = getattr(obj, field)
    return format_html("<span{}>{}</span>", lang, value) if lang else conditional_escape(value)


@register.simple_tag
def event_location(event):
    """'Nairobi, Kenya': city and country, each marked when shown in English on another language's page."""
    parts = []
    if event.city:
        parts.append(_part(event, "city"))
    if event.country_id:
        parts.append(_part(event.country, "title"))
    return mark_safe(", ".join(parts))  # each part is escaped above


@register.simple_tag
def event_stage(event):
    """The event's lifecycle stage as a small label ("Registration open", "Concluded", …)."""
    stage = event.lifecycle
    text = stage.label
    if stage.registration_open and stage.full:
        text = format_html("{} ({})", text, _("waiting list"))
    return format_html('<span class="event-stage event-stage-{}">{}</span>', stage.stage.replace("_", "-"), text)
