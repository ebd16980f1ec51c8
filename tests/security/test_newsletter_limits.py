"""Newsletter sign-up abuse: one address gets at most one sign-up mail an hour, whoever asks
from wherever, and a stranger cannot change the language or topics of a pending address."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from iomsite.newsletter.models import Subscriber
from tests.newsletter.conftest import themes  # noqa: F401 (fixture)
from tests.newsletter.helpers import link, path_of, sign_up

pytestmark = pytest.mark.django_db

CHECK_INBOX = (302, "/en/newsletter/check-your-inbox/")


def test_one_mail_an_hour_per_address_from_any_number_of_ips(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answers = [sign_up(client, "victim@example.org", ip=f"192.0.2.{n}") for n in range(10)]
    assert len(mailoutbox) == 1
    assert {(a.status_code, a["Location"]) for a in answers} == {CHECK_INBOX}  # nothing tells them apart
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        sign_up(client, "victim@example.org", ip="192.0.2.200")
    assert len(mailoutbox) == 1  # a sliding hour, not a clock hour
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        sign_up(client, "victim@example.org", ip="192.0.2.201")
    assert len(mailoutbox) == 2


def test_one_mail_an_hour_from_one_ip(client, mailoutbox):
    for _attempt in range(3):
        assert sign_up(client, "victim@example.org").status_code == 302
    assert len(mailoutbox) == 1


def test_a_confirmed_address_gets_one_already_subscribed_mail_an_hour(client, mailoutbox):
    Subscriber.objects.create(email="in@example.org", status="confirmed")
    for n in range(4):
        sign_up(client, "in@example.org", ip=f"192.0.2.{n}")
    assert len(mailoutbox) == 1


@pytest.mark.usefixtures("themes")
def test_a_stranger_cannot_change_a_pending_addresss_choices(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(client, "ana@example.org", language="fr", topics=["labour-migration"], ip="203.0.113.1")
    [first_mail] = mailoutbox
    for minutes in (5, 90):  # inside the hour (no mail) and after it (a new mail)
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            sign_up(
                client, "ana@example.org", language="es", topics=["migration-and-climate-change"], ip="198.51.100.9"
            )
        ana = Subscriber.objects.get(email="ana@example.org")
        assert (ana.status, ana.language, ana.topics) == ("pending", "fr", ["labour-migration"])
    assert len(mailoutbox) == 2
    assert "confirmez" in mailoutbox[1].subject.lower() or "confirm" in mailoutbox[1].subject.lower()
    assert "suscripción" not in mailoutbox[1].subject  # written in Ana's language, not the stranger's
    with time_machine.travel(start + timedelta(minutes=91), tick=False):
        client.post(path_of(link(first_mail, "confirm")))
    ana.refresh_from_db()
    assert (ana.status, ana.language, ana.topics) == ("confirmed", "fr", ["labour-migration"])


def test_a_mail_that_could_not_be_sent_does_not_use_up_the_hour(client, mailoutbox, monkeypatch):
    real_send = __import__("django.core.mail", fromlist=["EmailMultiAlternatives"]).EmailMultiAlternatives.send

    def broken(self, fail_silently=False):
        raise OSError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    sign_up(client, "unlucky@example.org")
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", real_send)
    sign_up(client, "unlucky@example.org", ip="203.0.113.6")
    assert len(mailoutbox) == 1
