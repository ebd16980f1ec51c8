"""iCalendar (RFC 5545) for consultation events, with the ``icalendar`` package.

Events are all-day: DTSTART and DTEND are VALUE=DATE and DTEND is the day after the
last day (exclusive), which is what desktop and phone calendars expect. A UID never
changes for an event, so a subscribed calendar updates the event instead of adding
a copy.
"""

from datetime import UTC

import icalendar
from django.http import HttpResponse
from django.utils.translation import gettext as _

from consultations.dates import format_date_range

PRODID = "-//International Organization for Migration//iomsite consultations//EN"
UID_DOMAIN = "consultations.iomsite"  # constant, so a UID does not change with the host name


def event_uid(event):
    return f"consultation-event-{event.pk}@{UID_DOMAIN}"


def make_calendar(name=None, description=None):
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    if description:
        cal.add("x-wr-caldesc", description)
    # Subscribed calendars check for changes once a day.
    cal.add("refresh-interval", icalendar.vDuration.from_ical("P1D"), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    return cal


def make_event(event, url):
    """A VEVENT; ``event`` has its series and country loaded, ``url`` is absolute.

    STATUS follows the event's lifecycle (CANCELLED for a cancelled event), and the
    description says where it stands, with the registration link while registration is open.
    """
    stage = event.lifecycle
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("created", event.created_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("dtstart", event.start_date)
    vevent.add("dtend", event.calendar_end())
    vevent.add("summary", event.title)
    if event.location:
        vevent.add("location", event.location)
    vevent.add("url", url)
    lines = [f"{event.series.title}: {format_date_range(event.start_date, event.end_date)}"]
    lines += [text for text in (event.theme, event.summary) if text]
    lines.append(str(stage.label))
    if stage.registration_open:
        register = url.rstrip("/") + "/register/"
        lines.append(_("Register: %(url)s") % {"url": register})
    lines.append(url)
    vevent.add("description", "\n\n".join(lines))
    vevent.add("status", stage.ical_status)
    vevent.add("transp", "TRANSPARENT")  # a day-long meeting elsewhere does not block the whole day
    return vevent


def calendar_response(cal, filename, attachment):
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
