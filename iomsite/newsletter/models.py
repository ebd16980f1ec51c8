from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email(email):
    """One spelling per address: trimmed and lower-cased (the local part too, as most providers do)."""
    return (email or "").strip().lower()


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """The addresses that may receive the newsletter: double opt-in done, not unsubscribed."""
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def sign_up(self, email, language, topics):
        """Record a sign-up request and return ``(subscriber, mail_kind)``.

        ``mail_kind`` is ``"confirm"`` for a new, pending or unsubscribed address (it
        becomes pending), ``"already_subscribed"`` for a confirmed one. A pending or
        confirmed address keeps the choices it has: a stranger typing someone's address must
        not be able to change that person's subscription. An unsubscribed one takes the new
        choices, which apply only once the mail's link is followed.
        """
        subscriber, created = self.get_or_create(
            email=normalize_email(email), defaults={"language": language, "topics": list(topics)}
        )
        if created:
            return subscriber, "confirm"
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber, "already_subscribed"
        if subscriber.status == Subscriber.Status.PENDING:
            return subscriber, "confirm"
        subscriber.language = language
        subscriber.topics = list(topics)
        subscriber.status = Subscriber.Status.PENDING
        subscriber.save(update_fields=["language", "topics", "status"])
        return subscriber, "confirm"


SIGNUP_MAIL_INTERVAL = timedelta(hours=1)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscriber(models.Model):
    """An address that asked for the newsletter. Only ``confirmed`` ones receive it."""

    Status = SubscriberStatus

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the subscriber reads the newsletter in."),
    )
    topics = models.JSONField(
        _("topics"),
        default=list,
        blank=True,
        help_text=_("Topics the subscriber is most interested in (their slugs). Empty means everything."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True, editable=False)
    last_mail_at = models.DateTimeField(_("last sign-up mail"), null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["email"], name="newsletter_subscriber_email_unique"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="newsletter_subscriber_email_lower"),
            models.CheckConstraint(
                condition=Q(status__in=SubscriberStatus.values),
                name="newsletter_subscriber_status_valid",
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def claim_signup_mail(self):
        """True, once an hour at most whatever the IP: the right to send this address a sign-up mail now.

        One conditional UPDATE, so two requests at the same moment cannot both win.
        """
        now = timezone.now()
        window = models.Q(last_mail_at__isnull=True) | models.Q(last_mail_at__lte=now - SIGNUP_MAIL_INTERVAL)
        claimed = type(self).objects.filter(window, pk=self.pk).update(last_mail_at=now)
        if claimed:
            self._claimed = (now, self.last_mail_at)
            self.last_mail_at = now
        return bool(claimed)

    def release_signup_mail(self):
        """The mail could not be sent: give the claim back, so the next request may try again."""
        now, previous = getattr(self, "_claimed", (None, None))
        if now is not None:
            type(self).objects.filter(pk=self.pk, last_mail_at=now).update(last_mail_at=previous)
            self.last_mail_at = previous

    def confirm(self):
        if self.status != self.Status.CONFIRMED:
            self.status = self.Status.CONFIRMED
            self.confirmed_at = timezone.now()
            self.save(update_fields=["status", "confirmed_at"])

    def unsubscribe(self):
        if self.status != self.Status.UNSUBSCRIBED:
            self.status = self.Status.UNSUBSCRIBED
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["status", "unsubscribed_at"])


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class Issue(models.Model):
    """One newsletter issue: an introduction and a list of content items, for the readers of one language.

    Composed in the admin, previewed as e-mail, tested, then sent in batches by a task
    (``iomsite.newsletter.sending``). Once sent it appears in the public archive.
    """

    Status = IssueStatus

    subject = models.CharField(_("subject"), max_length=200, help_text=_("The e-mail's subject and the archive title."))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Sent to the subscribers who read the newsletter in this language, and written in it."),
    )
    topics = models.JSONField(
        _("topics"),
        default=list,
        blank=True,
        help_text=_(
            "Send only to subscribers interested in one of these topics (slugs). Empty: to every subscriber of the "
            "language. Subscribers who chose no topic receive every issue."
        ),
    )
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("A few sentences above the items."))
    status = models.CharField(_("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-created_at", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        # Sending reaches every subscriber: like publishing, a right of its own (not given to editors).
        permissions = [("send_issue", _("Can send newsletter issues to subscribers"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=IssueStatus.values), name="newsletter_issue_status_valid"),
        ]
        indexes = [models.Index(fields=["language", "status", "-sent_at"], name="newsletter_issue_archive")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        from django.urls import reverse
        from django.utils import translation

        with translation.override(self.language):
            return reverse("newsletter:issue", kwargs={"pk": self.pk})

    def progress(self):
        """``{status: count}`` of the deliveries, with every status present."""
        counts = dict.fromkeys(DeliveryStatus.values, 0)
        for row in self.deliveries.order_by().values("status").annotate(n=models.Count("pk")):
            counts[row["status"]] = row["n"]
        return counts


class IssueItem(models.Model):
    """A content item in an issue (a publication, an event, a news item …): any published content."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("item"))
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("Optional: a sentence on why it matters, under its title.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["issue", "content_type", "object_id"], name="newsletter_item_unique"),
        ]

    def __str__(self):
        return f"{self.content_type} #{self.object_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One recipient of one issue: the send log, and what makes a resumed send skip those already done."""

    Status = DeliveryStatus

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["issue", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="newsletter_delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["issue", "status", "id"], name="newsletter_delivery_queue")]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
