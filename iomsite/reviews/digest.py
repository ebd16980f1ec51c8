"""The weekly digest: each owner (a person, or every member of a team) gets the list of their items due."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from iomsite.mail import queue_mail
from iomsite.models import SiteSettings
from iomsite.reviews.due import due_items


def digests(today=None):
    """``{user: [DueItem]}`` for every active owner with an address."""
    by_user = {}
    for row in due_items(today, limit=100_000):
        review = row.review
        if review is None:
            continue
        people = [review.owner] if review.owner_id else []
        if review.team_id:
            people += list(review.team.user_set.filter(is_active=True))
        for person in people:
            if person.is_active and person.email:
                by_user.setdefault(person, []).append(row)
    return by_user


@task()
def send_review_digests():
    """One mail per owner; run weekly (``manage.py send_review_digest`` from cron queues it)."""
    today = timezone.localdate()
    report = settings.IOMSITE_SITE_URL + reverse("admin:reviews_contentreview_due")
    sent = 0
    for user, rows in digests(today).items():
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "rows": [{"row": row, "url": settings.IOMSITE_SITE_URL + row.obj.get_absolute_url()} for row in rows],
                "report_url": f"{report}?owner={user.pk}",
                "site": SiteSettings.load(),
                "today": today,
            }
            subject = " ".join(render_to_string("reviews/email/digest_subject.txt", context).split())
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("reviews/email/digest.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                headers={"Auto-Submitted": "auto-generated"},
            )
            message.attach_alternative(render_to_string("reviews/email/digest.html", context), "text/html")
        queue_mail(message)
        sent += 1
    return sent
