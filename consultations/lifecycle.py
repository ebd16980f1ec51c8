"""Where a consultation event stands, computed from its dates and the editor's settings.

announced → registration open → registration closed → ongoing → concluded → archived
(or cancelled, when the editor says so). Nothing stores the state: it is worked out from
the clock whenever a page, a feed or a calendar asks, so no cron job has to move events
along and a visitor never sees a stale state for longer than a cached page lives.

Registration times are moments (``registration_opens_at``/``closes_at``, time-zone
aware); the event's days are calendar dates read in the event's own time zone, so a
meeting in Nairobi is "ongoing" from midnight in Nairobi.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    ONGOING = "ongoing", _("Ongoing")
    CONCLUDED = "concluded", _("Concluded")
    ARCHIVED = "archived", _("Archived")
    CANCELLED = "cancelled", _("Cancelled")


# Stages before the event, when registration can be on the page.
BEFORE = {Stage.ANNOUNCED, Stage.REGISTRATION_OPEN, Stage.REGISTRATION_CLOSED}


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as Africa/Nairobi."), params={"value": value})


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def archive_after():
    return timedelta(days=settings.IOMSITE_EVENT_ARCHIVE_AFTER_DAYS)


@dataclass(frozen=True)
class Lifecycle:
    """An event's stage at one moment, with what the pages say about registration."""

    stage: str
    full: bool = False  # registration open but every place taken: new registrants join the waiting list
    opens_at: object = None  # when an announced event's registration opens, if set

    @property
    def label(self):
        return Stage(self.stage).label

    @property
    def registration_open(self):
        return self.stage == Stage.REGISTRATION_OPEN

    @property
    def ical_status(self):
        """RFC 5545 STATUS of the VEVENT."""
        return "CANCELLED" if self.stage == Stage.CANCELLED else "CONFIRMED"

    @property
    def schema_status(self):
        if self.stage == Stage.CANCELLED:
            return "https://schema.org/EventCancelled"
        return "https://schema.org/EventScheduled"


def local_today(event, now):
    return now.astimezone(zoneinfo.ZoneInfo(event.time_zone or settings.TIME_ZONE)).date()


def lifecycle(event, now=None, taken=None):
    """The stage of ``event`` at ``now`` (default: the clock).

    ``taken`` is the number of confirmed places; read from ``event.places_taken`` (an
    annotation of ``ConsultationEventQuerySet.with_places``) or counted when not given.
    """
    now = now or timezone.now()
    if event.cancelled:
        return Lifecycle(Stage.CANCELLED)
    today = local_today(event, now)
    last_day = event.end_date or event.start_date
    if today > last_day:
        if today > last_day + archive_after():
            return Lifecycle(Stage.ARCHIVED)
        return Lifecycle(Stage.CONCLUDED)
    if today >= event.start_date:
        return Lifecycle(Stage.ONGOING)
    if not event.registration_enabled:
        return Lifecycle(Stage.ANNOUNCED)
    if event.registration_opens_at and now < event.registration_opens_at:
        return Lifecycle(Stage.ANNOUNCED, opens_at=event.registration_opens_at)
    if event.registration_closes_at and now >= event.registration_closes_at:
        return Lifecycle(Stage.REGISTRATION_CLOSED)
    full = False
    if event.capacity is not None:
        if taken is None:
            taken = getattr(event, "places_taken", None)
        if taken is None:
            taken = event.registrations.taking_place().count()
        full = taken >= event.capacity
        if full and not event.waiting_list:
            return Lifecycle(Stage.REGISTRATION_CLOSED, full=True)
    return Lifecycle(Stage.REGISTRATION_OPEN, full=full)
