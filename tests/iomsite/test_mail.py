"""Site e-mail leaves from the task worker: after the commit, with attachments, retried while the server is away."""

import os
import socket
import socketserver
import subprocess
import sys
import threading
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from iomsite.mail import queue_mail
from tests.helpers import run_tasks

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def message(to="reader@example.org"):
    mail_ = EmailMultiAlternatives(
        "Your registration", "Plain text", "IOM website <no-reply@example.org>", [to], headers={"X-Site": "iomsite"}
    )
    mail_.attach_alternative("<p>HTML text</p>", "text/html")
    mail_.attach("event.ics", CALENDAR, "text/calendar")
    return mail_


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def server_away(settings):
    """SMTP to a port where nothing listens: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 0, 2


def test_mail_leaves_from_the_worker_with_everything_it_carries(locmem):
    queue_mail(message())
    assert mail.outbox == []  # nothing is sent in the request
    [result] = run_tasks()
    assert result.status == "SUCCESSFUL" and result.return_value == "sent"
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Your registration", "Plain text", ["reader@example.org"])
    assert sent.extra_headers["X-Site"] == "iomsite"
    assert sent.alternatives[0][0] == "<p>HTML text</p>" and sent.alternatives[0][1] == "text/html"
    [(filename, content, mimetype)] = sent.attachments
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    assert (content.encode() if isinstance(content, str) else content) == CALENDAR


def test_mail_of_a_transaction_that_fails_is_never_sent(locmem):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(message())
        raise RuntimeError("the form could not be saved")
    assert not DBTaskResult.objects.exists()
    assert run_tasks() == [] and mail.outbox == []


def test_a_refused_mail_is_tried_again_later_then_sent(server_away, settings):
    queue_mail(message())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        [first] = run_tasks()
        assert first.return_value == "retry" and mail.outbox == []
        [waiting] = DBTaskResult.objects.filter(status="READY")
        assert waiting.run_after == timezone.now() + timedelta(seconds=settings.IOMSITE_MAIL_RETRY_SECONDS[0])
        assert run_tasks() == []  # not before its time
        clock.shift(timedelta(seconds=settings.IOMSITE_MAIL_RETRY_SECONDS[0]))
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
        [second] = run_tasks()
    assert second.return_value == "sent" and second.args_kwargs["args"] == [first.args_kwargs["args"][0], 1]
    assert [sent.subject for sent in mail.outbox] == ["Your registration"]


def test_after_the_last_try_the_mail_is_recorded_as_failed(server_away, settings, caplog):
    settings.IOMSITE_MAIL_RETRY_SECONDS = [1, 1]
    queue_mail(message())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(3):
            run_tasks()
            clock.shift(timedelta(seconds=2))
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert "failed 3 times, giving up" in caplog.text


class SMTPSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to take a message, for the real worker process to talk to."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.messages = []
        super().__init__(("127.0.0.1", 0), SMTPHandler)


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command == "DATA":
                self.reply("354 go on")
                data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.messages.append(message_from_bytes(data))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_process_of_make_run_sends_the_mail():
    """``manage.py db_worker``, as ``make run`` starts it, sends through Django's SMTP backend."""
    sink = SMTPSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        queue_mail(message(to="visitor@example.org"))
        settings_dict = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.server_address[1]),
            "EMAIL_USE_TLS": "0",
        }
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--batch", "--no-startup-delay"]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    finally:
        sink.shutdown()
        sink.server_close()
    [received] = sink.messages
    assert received["Subject"] == "Your registration" and received["To"] == "visitor@example.org"
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html", "text/calendar"}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
