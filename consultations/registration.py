"""Registration for consultation events: double opt-in, places and waiting list, cancellation, reminders, purge.

Every state change is a method here, not in a view: the views, the tasks and the
management commands call them. Mail leaves through ``iomsite.mail.queue_mail``, in the
same transaction as the change, so a registration is stored even when the mail server is
down and its mail is retried by the worker (decision 014).

Links in the mails are signed tokens carrying the registration's id and a keyed
fingerprint of the address: confirming expires after ``CONFIRM_MAX_AGE``, cancelling
never does; both stop working when the personal data is erased.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django_tasks import task

from consultations.calendar import make_calendar, make_event
from consultations.lifecycle import BEFORE, Stage
from consultations.models import ConsultationEvent, Registration
from iomsite.mail import queue_mail
from iomsite.models import SiteSettings

CONFIRM_SALT = "consultations.registration.confirm"
CANCEL_SALT = "consultations.registration.cancel"
CONFIRM_MAX_AGE = timedelta(days=3)
MAIL_INTERVAL = timedelta(hours=1)  # at most one "confirm your registration" mail an hour per registration
REMINDER_TIME = time(9, 0)  # the day before the event, at 9:00 in the event's time zone
Status = Registration.Status


class InvalidToken(Exception):
    """The link was altered, cut short, or names no registration (or one whose data is erased)."""


class ExpiredToken(InvalidToken):
    pass


def _fingerprint(registration):
    return salted_hmac("consultations.registration.address", f"{registration.pk}:{registration.email}").hexdigest()[:16]


def make_confirm_token(registration):
    return signing.dumps([registration.pk, _fingerprint(registration)], salt=CONFIRM_SALT)


def make_cancel_token(registration):
    return signing.Signer(salt=CANCEL_SALT).sign_object([registration.pk, _fingerprint(registration)])


def _registration(payload):
    try:
        pk, fingerprint = payload
        registration = Registration.objects.select_related("event__series", "event__country").get(pk=int(pk))
    except (TypeError, ValueError, Registration.DoesNotExist):
        raise InvalidToken from None
    if registration.purged_at or fingerprint != _fingerprint(registration):
        raise InvalidToken
    return registration


def read_confirm_token(token):
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
    return _registration(payload)


def read_cancel_token(token):
    try:
        payload = signing.Signer(salt=CANCEL_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
    return _registration(payload)


# State changes ----------------------------------------------------------------------------


def register(event, data, language):
    """Record a registration request and queue its mail; returns the registration.

    A new address (or one whose earlier registration was cancelled) gets a pending
    registration and a link to confirm it. An address already registered keeps what it
    has (a stranger typing someone's address changes nothing) and gets, at most once an
    hour, a mail saying where it stands with its own links. The visitor sees the same
    answer either way.
    """
    email = data["email"].strip().lower()
    with transaction.atomic():
        existing = event.registrations.active().filter(email=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        event=event,
                        email=email,
                        name=data["name"],
                        organisation=data.get("organisation", ""),
                        country=data.get("country"),
                        accessibility_needs=data.get("accessibility_needs", ""),
                        language=language,
                    )
            except IntegrityError:  # the same address at the same moment: the other request won
                return event.registrations.active().get(email=email)
            registration.event = event
            claim_mail(registration)
            queue_registration_mail(registration, "confirm")
            return registration
        existing.event = event
        if claim_mail(existing):
            queue_registration_mail(existing, "confirm" if existing.status == Status.PENDING else "already")
        return existing


def claim_mail(registration):
    """True, once an hour at most: the right to send this registration a mail the visitor asked for."""
    now = timezone.now()
    window = Q(last_mail_at__isnull=True) | Q(last_mail_at__lte=now - MAIL_INTERVAL)
    claimed = Registration.objects.filter(window, pk=registration.pk).update(last_mail_at=now)
    return bool(claimed)


def confirm(registration):
    """The address is proven: take a place, or a place on the waiting list, or say it is full.

    Returns the new status (``None`` when the event is full without a waiting list, or no
    longer takes registrations). The event row is locked while places are counted, so two
    confirmations at the same moment cannot both take the last place.
    """
    with transaction.atomic():
        event = ConsultationEvent.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.PENDING:
            return registration.status
        stage = event.lifecycle_at(timezone.now())
        # Open, or closed only because every place is taken since (a waiting list would have kept it open).
        if not (stage.stage == Stage.REGISTRATION_OPEN or (stage.stage == Stage.REGISTRATION_CLOSED and stage.full)):
            return None  # cancelled, started, or the deadline passed before the link was followed
        taken = event.registrations.taking_place().count()
        if event.capacity is None or taken < event.capacity:
            registration.status = Status.CONFIRMED
        elif event.waiting_list:
            registration.status = Status.WAITING
        else:
            return None
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "confirmed_at"])
        registration.event = event
        if registration.status == Status.CONFIRMED:
            queue_registration_mail(registration, "confirmed", calendar=True)
            schedule_reminder(registration)
        else:
            queue_registration_mail(registration, "waiting")
        return registration.status


def cancel(registration):
    """Give the place up; the first on the waiting list takes it (and is told, with the calendar file)."""
    with transaction.atomic():
        event = ConsultationEvent.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return None
        held_place = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        registration.event = event
        queue_registration_mail(registration, "cancelled")
        if held_place:
            return promote_waiting(event)
        return None


def promote_waiting(event):
    """Fill free places from the waiting list, first come first served (the event row is locked by the caller)."""
    free = None if event.capacity is None else event.capacity - event.registrations.taking_place().count()
    waiting = event.registrations.filter(status=Status.WAITING).order_by("confirmed_at", "pk")
    if free is not None:
        waiting = waiting[: max(free, 0)]
    if event.lifecycle_at(timezone.now()).stage not in BEFORE:
        return []  # the event has started: nobody is moved up any more
    promoted = []
    for registration in waiting:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status"])
        registration.event = event
        queue_registration_mail(registration, "promoted", calendar=True)
        schedule_reminder(registration)
        promoted.append(registration)
    return promoted


# Reminders --------------------------------------------------------------------------------


def reminder_moment(event):
    """The day before the event's first day, at ``REMINDER_TIME`` in the event's time zone."""
    zone = zoneinfo.ZoneInfo(event.time_zone or settings.TIME_ZONE)
    return datetime.combine(event.start_date - timedelta(days=1), REMINDER_TIME, tzinfo=zone)


def schedule_reminder(registration):
    moment = reminder_moment(registration.event)
    if moment > timezone.now():
        send_reminder.using(run_after=moment).enqueue(registration.pk, registration.event.start_date.isoformat())


@task()
def send_reminder(registration_pk, start_date):
    """The reminder of one confirmed registration, unless it was cancelled, already sent, or the event moved."""
    registration = Registration.objects.select_related("event__series", "event__country").filter(pk=registration_pk)
    registration = registration.first()
    if registration is None or registration.event.start_date.isoformat() != start_date:
        return "skipped"  # moved events are reminded by send_due_reminders (the command)
    return "sent" if _remind(registration) else "skipped"


def _remind(registration):
    """Send the reminder once: the conditional update claims it."""
    if registration.status != Status.CONFIRMED or registration.purged_at:
        return False
    with transaction.atomic():
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
        if claimed:
            queue_registration_mail(registration, "reminder", calendar=True)
    return bool(claimed)


def due_reminders(now=None):
    """Confirmed registrations not yet reminded whose event starts tomorrow (in its own time zone)."""
    now = now or timezone.now()
    candidates = (
        Registration.objects.filter(status=Status.CONFIRMED, reminded_at__isnull=True, purged_at__isnull=True)
        .filter(
            event__start_date__gte=now.date() - timedelta(days=1), event__start_date__lte=now.date() + timedelta(days=2)
        )
        .select_related("event__series", "event__country")
    )
    return [r for r in candidates if reminder_moment(r.event) <= now < _first_moment(r.event)]


def _first_moment(event):
    zone = zoneinfo.ZoneInfo(event.time_zone or settings.TIME_ZONE)
    return datetime.combine(event.start_date, time(0, 0), tzinfo=zone)


@task()
def send_due_reminders():
    """Every reminder that is due: what ``manage.py send_event_reminders`` runs from cron, as a safety net."""
    return sum(_remind(registration) for registration in due_reminders())


# Purge -----------------------------------------------------------------------------------


def purge(today=None):
    """Erase the personal data of registrations for events that ended over the retention period ago.

    The rows stay (with their event and status) so that counts remain; name, organisation,
    address, country and accessibility needs are gone, and the links in old mails stop working.
    """
    return Registration.objects.to_purge(today).update(
        name="", organisation="", email="", country=None, accessibility_needs="", purged_at=timezone.now()
    )


# Mail -------------------------------------------------------------------------------------


def site_url(path):
    return settings.IOMSITE_SITE_URL + path


def queue_registration_mail(registration, kind, calendar=False):
    """Queue the mail ``kind`` (templates ``consultations/email/<kind>…``) in the registrant's language."""
    event = registration.event
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "site": SiteSettings.load(),
            "event_url": site_url(event.get_absolute_url()),
            "cancel_url": site_url(reverse("consultations:cancel", kwargs={"token": make_cancel_token(registration)})),
            # The meeting link only ever leaves in a confirmed registrant's mail.
            "meeting_url": event.meeting_url if registration.status == Status.CONFIRMED and event.is_online else "",
        }
        if kind == "confirm":
            token = make_confirm_token(registration)
            context["confirm_url"] = site_url(reverse("consultations:confirm", kwargs={"token": token}))
            context["valid_days"] = CONFIRM_MAX_AGE.days
        subject = " ".join(render_to_string(f"consultations/email/{kind}_subject.txt", context).split())
        text = render_to_string(f"consultations/email/{kind}.txt", context)
        html = render_to_string("consultations/email/message.html", {**context, "kind": kind, "subject": subject})
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(html, "text/html")
        if calendar:
            cal = make_calendar()
            cal.add_component(make_event(event, context["event_url"]))
            message.attach(f"{event.slug}-{event.year}.ics", cal.to_ical(), "text/calendar")
    queue_mail(message)
