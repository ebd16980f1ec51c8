"""Registration as a visitor goes through it: the form, the mails in the outbox, the links in them."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from consultations.models import Registration
from tests.consultations.factories import make_country, make_event, make_series
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

URL_RE = re.compile(r"https?://[^\s\"<>]+")
OPEN = datetime(2026, 2, 15, 12, tzinfo=UTC)  # registration open
MEETING = "https://meet.example.org/room-7f3a"


@pytest.fixture
def event(db):
    return make_event(
        make_series(),
        slug="regional-consultation",
        start=date(2026, 3, 10),
        end_date=date(2026, 3, 11),
        city="Nairobi",
        country=make_country("KE", "Kenya"),
        time_zone="Africa/Nairobi",
        attendance="hybrid",
        meeting_url=MEETING,
        registration_enabled=True,
        capacity=1,
        waiting_list=True,
    )


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(OPEN, tick=False) as traveller:
        yield traveller


def register(client, event, email="ana@example.org", name="Ana Pérez", ip="203.0.113.5", **extra):
    data = {"name": name, "organisation": "ICVA", "email": email, "accessibility_needs": "", "website": "", **extra}
    return client.post(event.get_register_url(), data, REMOTE_ADDR=ip)


def links(message, kind):
    return [url for url in URL_RE.findall(message.body) if f"/registration/{kind}/" in url]


def link(message, kind):
    (url,) = links(message, kind)
    return url


def deliver():
    """What the worker does: send the queued mail; returns the messages sent."""
    before = len(django_mail.outbox)
    run_tasks()
    return django_mail.outbox[before:]


def sign_up_and_confirm(client, event, email="ana@example.org", **extra):
    assert register(client, event, email, **extra).status_code == 302
    (confirm_mail,) = deliver()
    url = link(confirm_mail, "confirm")
    client.post(url)
    return deliver()


def test_register_confirm_from_the_mail_and_cancel(client, event, mailoutbox):
    page = client.get(event.series.get_absolute_url())
    page = client.get(event.get_absolute_url())
    assert event.get_register_url() in page.content.decode()
    form = client.get(event.get_register_url())
    assert form.status_code == 200
    assert 'name="accessibility_needs"' in form.content.decode()

    response = register(client, event, "Ana@Example.org")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    registration = Registration.objects.get()
    assert (registration.email, registration.status) == ("ana@example.org", "pending")
    assert registration.organisation == "ICVA"
    assert mailoutbox == []  # the request only queued it: a mail outage cannot lose the registration

    (confirm_mail,) = deliver()
    assert confirm_mail.to == ["ana@example.org"]
    assert "Confirm your registration" in confirm_mail.subject
    assert MEETING not in confirm_mail.body  # not proven yet
    confirm_url = link(confirm_mail, "confirm")
    assert confirm_url in confirm_mail.alternatives[0][0]

    # Opening the link (as a mail scanner does) confirms nothing; the button does.
    assert "Confirm my registration" in client.get(confirm_url).content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"
    response = client.post(confirm_url)
    assert "Your registration is confirmed" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"

    (confirmed,) = deliver()
    assert "You are registered" in confirmed.subject
    assert MEETING in confirmed.body and MEETING in confirmed.alternatives[0][0]
    (filename, ics, mimetype) = confirmed.attachments[0]
    assert (filename, mimetype) == ("regional-consultation-2026.ics", "text/calendar")
    assert "DTSTART;VALUE=DATE:20260310" in (ics.decode() if isinstance(ics, bytes) else ics)
    # The public page still never shows the link.
    assert MEETING.encode() not in client.get(event.get_absolute_url()).content

    cancel_url = link(confirmed, "cancel")
    assert "Cancel my registration" in client.get(cancel_url).content.decode()
    response = client.post(cancel_url)
    assert "Your registration is cancelled" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    (cancelled,) = deliver()
    assert "is cancelled" in cancelled.subject


def test_capacity_and_waiting_list(client, event, mailoutbox):
    (first,) = sign_up_and_confirm(client, event, "ana@example.org")
    (second,) = sign_up_and_confirm(client, event, "ben@example.org", name="Ben")
    assert "waiting list" in second.subject
    assert MEETING not in second.body and not second.attachments
    assert dict(Registration.objects.values_list("email", "status")) == {
        "ana@example.org": "confirmed",
        "ben@example.org": "waiting",
    }
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page

    # Ana cancels: Ben, first on the list, takes her place and gets the details and the calendar.
    client.post(link(first, "cancel"))
    messages = deliver()
    by_address = {message.to[0]: message for message in messages}
    assert set(by_address) == {"ana@example.org", "ben@example.org"}
    promoted = by_address["ben@example.org"]
    assert "A place is yours" in promoted.subject
    assert MEETING in promoted.body
    assert promoted.attachments[0][2] == "text/calendar"
    assert Registration.objects.get(email="ben@example.org").status == "confirmed"


def test_full_without_waiting_list_takes_no_more(client, event, mailoutbox):
    event.waiting_list = False
    event.save()
    sign_up_and_confirm(client, event, "ana@example.org")
    response = client.get(event.get_register_url())
    assert b'name="email"' not in response.content
    assert register(client, event, "ben@example.org").status_code == 200  # the form is gone: nothing stored
    assert Registration.objects.count() == 1


def test_a_link_confirmed_after_the_last_place_went_is_told_so(client, event, mailoutbox):
    event.waiting_list = False
    event.save()
    register(client, event, "ana@example.org")
    register(client, event, "ben@example.org", ip="203.0.113.6")
    ana, ben = deliver()
    assert client.post(link(ana, "confirm")).status_code == 200
    response = client.post(link(ben, "confirm"))
    assert response.status_code == 409
    assert "Registration is not open" in response.content.decode()
    assert Registration.objects.get(email="ben@example.org").status == "pending"


def test_the_same_address_twice_changes_nothing_and_mails_once_an_hour(client, event, mailoutbox, _clock):
    register(client, event, "ana@example.org")
    register(client, event, "ana@example.org", name="Someone Else")
    assert Registration.objects.get().name == "Ana Pérez"
    assert len(deliver()) == 1
    _clock.shift(timedelta(hours=1, seconds=1))
    register(client, event, "ana@example.org")
    (again,) = deliver()
    assert links(again, "confirm")


def test_spam_protection(client, event, mailoutbox):
    assert register(client, event, "bot@example.org", website="http://spam.example").status_code == 302
    assert Registration.objects.count() == 0  # the honeypot: the same answer, nothing stored
    for n in range(10):
        assert register(client, event, f"p{n}@example.org", ip="198.51.100.1").status_code == 302
    response = register(client, event, "one-more@example.org", ip="198.51.100.1")
    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()
    assert register(client, event, "other@example.org", ip="198.51.100.2").status_code == 302


def test_optional_fields_follow_the_editor(client, event):
    event.ask_organisation = event.ask_accessibility = event.ask_country = False
    event.save()
    page = client.get(event.get_register_url()).content.decode()
    assert 'name="organisation"' not in page
    assert 'name="accessibility_needs"' not in page
    assert 'name="country"' not in page
    assert 'name="email"' in page and 'name="name"' in page


def test_invalid_input_is_a_form_error(client, event):
    response = register(client, event, "not-an-address", name="")
    assert response.status_code == 200
    assert "Enter a valid e-mail address" in response.content.decode()
    assert Registration.objects.count() == 0


def test_bad_and_expired_links(client, event, mailoutbox, _clock):
    register(client, event)
    (message,) = deliver()
    url = link(message, "confirm")
    assert client.get(url[:-5] + "xxxx/").status_code == 400
    assert client.get("/en/consultations/registration/cancel/garbage/").status_code == 400
    _clock.shift(timedelta(days=3, seconds=1))
    response = client.get(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_no_registration_before_it_opens_or_after_it_closes(client, event, _clock):
    event.registration_opens_at = OPEN + timedelta(days=1)
    event.save()
    assert b'name="email"' not in client.get(event.get_register_url()).content
    _clock.shift(timedelta(days=2))
    assert b'name="email"' in client.get(event.get_register_url()).content
    event.registration_enabled = False
    event.save()
    assert client.get(event.get_register_url()).status_code == 404


def test_a_draft_event_takes_no_registration(client):
    draft = make_event(make_series(), start=date(2026, 3, 10), registration_enabled=True, published=False)
    assert client.get(draft.get_register_url()).status_code == 404
    assert register(client, draft).status_code == 404


def test_mail_server_down_keeps_the_registration_and_retries(client, event, settings, mailoutbox, _clock):
    settings.EMAIL_BACKEND = "tests.consultations.test_registration.RefusingBackend"
    register(client, event)
    assert Registration.objects.get().status == "pending"
    assert deliver() == []  # refused: the task queued itself again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _clock.shift(timedelta(minutes=2))
    (message,) = deliver()
    assert links(message, "confirm")


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("down")


# Reminders ----------------------------------------------------------------------------


def test_reminder_the_day_before_once(client, event, mailoutbox, _clock):
    sign_up_and_confirm(client, event)
    assert DBTaskResult.objects.filter(task_path__endswith="send_reminder", status="READY").count() == 1
    # 08:59 in Nairobi the day before: not yet.
    _clock.move_to(datetime(2026, 3, 9, 5, 59, tzinfo=UTC))
    assert deliver() == []
    _clock.move_to(datetime(2026, 3, 9, 6, 0, tzinfo=UTC))
    (reminder,) = deliver()
    assert "Tomorrow" in reminder.subject
    assert MEETING in reminder.body
    assert link(reminder, "cancel")
    # The cron command finds nothing more to send.
    call_command("send_event_reminders", "--now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert deliver() == []


def test_no_reminder_after_cancelling(client, event, mailoutbox, _clock):
    (confirmed,) = sign_up_and_confirm(client, event)
    client.post(link(confirmed, "cancel"))
    deliver()
    _clock.move_to(datetime(2026, 3, 9, 6, 0, tzinfo=UTC))
    assert deliver() == []


def test_the_command_reminds_when_the_event_moved(client, event, mailoutbox, _clock):
    sign_up_and_confirm(client, event)
    event.start_date, event.end_date = date(2026, 3, 17), date(2026, 3, 18)
    event.save()
    _clock.move_to(datetime(2026, 3, 9, 6, 0, tzinfo=UTC))
    assert deliver() == []  # the scheduled task sees the event moved and skips
    _clock.move_to(datetime(2026, 3, 16, 7, 0, tzinfo=UTC))
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (reminder,) = deliver()
    assert "Tomorrow" in reminder.subject


# Retention -------------------------------------------------------------------------------


def test_personal_data_is_erased_after_the_retention_period(client, event, settings, mailoutbox, _clock):
    settings.IOMSITE_REGISTRATION_RETENTION_DAYS = 30
    (confirmed,) = sign_up_and_confirm(client, event, accessibility_needs="Step-free access")
    cancel_url = link(confirmed, "cancel")
    _clock.move_to(datetime(2026, 4, 10, 12, tzinfo=UTC))  # 30 days after the last day: kept
    call_command("purge_registrations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Registration.objects.get().email == "ana@example.org"
    _clock.move_to(datetime(2026, 4, 11, 12, tzinfo=UTC))
    call_command("purge_registrations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row = Registration.objects.get()
    assert (row.name, row.email, row.organisation, row.accessibility_needs, row.country) == ("", "", "", "", None)
    assert row.purged_at is not None and row.status == "confirmed"
    assert client.get(cancel_url).status_code == 400  # old links stop working
