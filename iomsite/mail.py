"""Site e-mail leaves through the task worker, never inside a visitor's or an editor's request.

``queue_mail(message)`` stores a Django ``EmailMessage`` (or ``EmailMultiAlternatives``,
attachments included) as a task; the worker sends it with Django's mail backend. Queued
inside a transaction, the mail exists only if the transaction commits (the database
backend writes the task in it), so a form that fails sends nothing and a saved one
always sends. When the mail server refuses or is away, the task queues itself again
later (``IOMSITE_MAIL_RETRY_SECONDS``) and is logged as failed only after the last try:
nothing written is lost because the mail could not leave.
"""

import base64
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def serialize(message):
    """A JSON-safe dict of everything ``message`` carries."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def deserialize(data):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def queue_mail(message: EmailMessage, priority=0):
    """Send ``message`` from the worker; returns the task result (its id names it in the task admin)."""
    return send_queued_mail.using(priority=priority).enqueue(serialize(message))


@task()
def send_queued_mail(data, attempt=0):
    """Send one stored message; on a refused or unreachable server, try again later."""
    try:
        deserialize(data).send()
    except (smtplib.SMTPException, OSError) as error:
        delays = settings.IOMSITE_MAIL_RETRY_SECONDS
        if attempt >= len(delays):
            logger.error("Mail to %s failed %d times, giving up: %s", ", ".join(data["to"]), attempt + 1, error)
            raise
        later = timezone.now() + timedelta(seconds=delays[attempt])
        send_queued_mail.using(run_after=later).enqueue(data, attempt + 1)
        logger.warning("Mail to %s not sent (%s); trying again at %s", ", ".join(data["to"]), error, later)
        return "retry"
    return "sent"
