"""Newsletter issues: what they hold, who receives them, and the batched send.

- **Items** are any published content (through the seam, ``iomsite.content``): read with
  each model's ``published()`` when the mail is built, so a draft or an expired item never
  goes out, whatever was picked. One query per content type.
- **Suggestions** are the latest published items of the declared content models, in the
  issue's language (a title written in it) and, when the issue has topics, linked to one
  of them (the model's section path to the topics tree).
- **Sending**: ``start_sending`` writes one ``Delivery`` row per recipient (confirmed
  subscribers of the language whose topics match), then ``send_issue_batch`` sends them
  ``IOMSITE_NEWSLETTER_BATCH_SIZE`` at a time. Each row is claimed before its mail leaves
  and marked sent right after, so a batch that fails (mail server refusing) stops, queues
  itself again later and resumes with the rows still to send: nobody gets an issue twice.
  Each recipient's subscription is read again just before the send: an unsubscribe made
  mid-send is respected (the row is "skipped").
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from modeltranslation.utils import build_localized_fieldname

from iomsite import content
from iomsite.mail import queue_mail
from iomsite.models import SiteSettings
from iomsite.newsletter.models import Delivery, Issue, Subscriber
from iomsite.newsletter.tokens import make_unsubscribe_token

logger = logging.getLogger(__name__)

SUGGEST_DAYS = 45
SUGGEST_PER_TYPE = 5


def site_url(path):
    return settings.IOMSITE_SITE_URL + path


# What an issue holds -----------------------------------------------------------------------


def resolve_items(issue):
    """The issue's items that are live now, in its order, as dicts for the templates (in its language)."""
    rows = list(issue.items.select_related("content_type"))
    by_type = {}
    for row in rows:
        by_type.setdefault(row.content_type, []).append(row.object_id)
    found = {}
    with translation.override(issue.language):
        for content_type, ids in by_type.items():
            model = content_type.model_class()
            manager = model._default_manager if model else None
            if manager is None or not hasattr(manager, "published") or content.get(model) is None:
                continue  # only declared, publishable content goes out
            for obj in manager.published().filter(pk__in=ids):
                found[(content_type.pk, obj.pk)] = {
                    "title": str(getattr(obj, "title", obj)),
                    "summary": getattr(obj, "summary", "") or "",
                    "url": site_url(obj.get_absolute_url()),
                    "kind": str(model._meta.verbose_name).capitalize(),
                }
    items = []
    for row in rows:
        item = found.get((row.content_type_id, row.object_id))
        if item is not None:
            items.append({**item, "note": row.note})
    return items


def topic_roots(slugs):
    model = content.topics_model()
    if model is None or not slugs:
        return None
    return list(model.objects.published().filter(level=0, slug__in=slugs))


def suggestions(issue, now=None):
    """``[(content type, object)]``: recent published content for this issue, newest first per type."""
    now = now or timezone.now()
    since = now - timedelta(days=SUGGEST_DAYS)
    roots = topic_roots(issue.topics)
    topics_key = content.get(content.topics_model()).key if content.topics_model() else None
    picked = {(item.content_type_id, item.object_id) for item in issue.items.all()}
    found = []
    for item in content.publishable_models():
        model = item.model
        if item.shape != "list" or item.part_of or not hasattr(model, "get_absolute_url"):
            continue
        queryset = model._default_manager.published(now).filter(publish_at__gte=since)
        title = build_localized_fieldname("title", issue.language)
        if any(field.name == title for field in model._meta.concrete_fields):
            queryset = queryset.exclude(**{title: ""}).exclude(**{f"{title}__isnull": True})
        if roots is not None:
            path = item.section_paths().get(topics_key)
            if path is None:
                continue  # the type is not linked to topics: it cannot match
            lookup = "tree_id" if path == "pk" else f"{path}__tree_id"
            queryset = queryset.filter(**{f"{lookup}__in": [root.tree_id for root in roots]}).distinct()
        content_type = ContentType.objects.get_for_model(model)
        for obj in queryset.order_by("-publish_at", "-pk")[:SUGGEST_PER_TYPE]:
            if (content_type.pk, obj.pk) not in picked:
                found.append((content_type, obj))
    return found


def add_suggestions(issue):
    """Append the suggestions to the issue's items; returns how many were added."""
    last = issue.items.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    added = 0
    for content_type, obj in suggestions(issue):
        added += 1
        issue.items.create(content_type=content_type, object_id=obj.pk, sort_order=last + added * 10)
    return added


# Who receives it ---------------------------------------------------------------------------


def recipients(issue):
    """Confirmed subscribers of the issue's language whose topics match (theirs empty: everything)."""
    wanted = set(issue.topics or [])
    subscribers = Subscriber.objects.confirmed().filter(language=issue.language).only("pk", "topics").order_by("pk")
    for subscriber in subscribers.iterator(chunk_size=2000):
        if not wanted or not subscriber.topics or wanted & set(subscriber.topics):
            yield subscriber.pk


# The mail -----------------------------------------------------------------------------------


def build_issue_message(issue, subscriber, items, test=False):
    """The issue as ``subscriber`` receives it: their own unsubscribe and manage-topics links in it and its headers."""
    token = make_unsubscribe_token(subscriber)
    with translation.override(issue.language):
        unsubscribe = site_url(reverse("newsletter:unsubscribe", kwargs={"token": token}))
        context = {
            "issue": issue,
            "items": items,
            "site": SiteSettings.load(),
            "unsubscribe_url": unsubscribe,
            "manage_url": site_url(reverse("newsletter:manage", kwargs={"token": token})),
            "archive_url": site_url(issue.get_absolute_url()),
            "test": test,
        }
        text = render_to_string("newsletter/email/issue.txt", context)
        html = render_to_string("newsletter/email/issue.html", context)
    subject = f"[TEST] {issue.subject}" if test else issue.subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            # One-click unsubscribe (RFC 8058): mail providers POST to this address.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<newsletter.{settings.IOMSITE_SITE_URL.split('//')[-1].split(':')[0]}>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def preview(issue):
    """``(subject, html, text)`` of the issue as a sample subscriber receives it, for the admin preview."""
    sample = Subscriber(pk=0, email="subscriber@example.org", language=issue.language)
    message = build_issue_message(issue, sample, resolve_items(issue))
    return message.subject, message.alternatives[0][0], message.body


def send_test(issue, email):
    """The issue to one address (an editor's), through the mail queue, marked as a test."""
    sample = Subscriber(pk=0, email=email, language=issue.language)
    return queue_mail(build_issue_message(issue, sample, resolve_items(issue), test=True))


# The send ------------------------------------------------------------------------------------


def start_sending(issue, user=None):
    """Write the deliveries and queue the first batch; False when the issue is not a draft any more."""
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status != Issue.Status.DRAFT:
            return False
        Delivery.objects.bulk_create(
            (Delivery(issue=locked, subscriber_id=pk) for pk in recipients(locked)),
            batch_size=1000,
            ignore_conflicts=True,
        )
        locked.status = Issue.Status.SENDING
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at"])
        send_issue_batch.enqueue(locked.pk)
    issue.refresh_from_db()
    return True


def batch_size():
    return settings.IOMSITE_NEWSLETTER_BATCH_SIZE


@task()
def send_issue_batch(issue_pk, attempt=0):
    """Send the next batch of an issue's deliveries; queue the next one, or itself later after a failure."""
    issue = Issue.objects.filter(pk=issue_pk, status=Issue.Status.SENDING).first()
    if issue is None:
        return "nothing to do"
    pending = list(issue.deliveries.filter(status=Delivery.Status.PENDING).order_by("pk")[: batch_size()])
    if not pending:
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
        return "sent"
    items = resolve_items(issue)
    connection = get_connection()
    sent = 0
    try:
        for delivery in pending:
            claimed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SENDING, attempts=F("attempts") + 1
            )
            if not claimed:
                continue  # another worker has it
            subscriber = Subscriber.objects.filter(pk=delivery.subscriber_id).first()
            if subscriber is None or subscriber.status != Subscriber.Status.CONFIRMED:
                Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SKIPPED)
                continue
            message = build_issue_message(issue, subscriber, items)
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as error:
                Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, error=str(error)[:300])
                return _retry_later(issue, attempt, error)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
    finally:
        connection.close()
    send_issue_batch.enqueue(issue.pk)  # the next batch (or the end of the send)
    return f"{sent} sent"


def _retry_later(issue, attempt, error):
    delays = settings.IOMSITE_MAIL_RETRY_SECONDS
    message = f"{timezone.now():%Y-%m-%d %H:%M} {error}"[:500]
    Issue.objects.filter(pk=issue.pk).update(last_error=message)
    if attempt >= len(delays):
        logger.error("Newsletter issue %s: giving up after %d failed batches: %s", issue.pk, attempt + 1, error)
        issue.deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.FAILED)
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
        return "failed"
    later = timezone.now() + timedelta(seconds=delays[attempt])
    send_issue_batch.using(run_after=later).enqueue(issue.pk, attempt + 1)
    logger.warning("Newsletter issue %s: batch stopped (%s); resuming at %s", issue.pk, error, later)
    return "retry"
