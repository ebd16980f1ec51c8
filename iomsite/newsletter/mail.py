"""The newsletter's e-mails: plain text with an HTML alternative, in the subscriber's language.

Every message carries the unsubscribe link in its body and in ``List-Unsubscribe``
(with ``List-Unsubscribe-Post`` for one-click unsubscribe, RFC 8058).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from iomsite.models import SiteSettings
from iomsite.newsletter.tokens import CONFIRM_MAX_AGE, make_confirm_token, make_unsubscribe_token

KINDS = ("confirm", "already_subscribed")


def unsubscribe_url(subscriber, build_absolute_uri):
    token = make_unsubscribe_token(subscriber)
    return build_absolute_uri(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def build_message(subscriber, kind, build_absolute_uri, extra_context=None):
    """An unsent message of ``kind`` (a template prefix under ``newsletter/email/``).

    ``build_absolute_uri`` turns a path into a full URL (``request.build_absolute_uri``).
    """
    with translation.override(subscriber.language):
        unsubscribe = unsubscribe_url(subscriber, build_absolute_uri)
        context = {
            "subscriber": subscriber,
            "site": SiteSettings.load(),
            "unsubscribe_url": unsubscribe,
            "signup_url": build_absolute_uri(reverse("newsletter:signup")),
            **(extra_context or {}),
        }
        subject = render_to_string(f"newsletter/email/{kind}_subject.txt", context)
        text = render_to_string(f"newsletter/email/{kind}.txt", context)
        html = render_to_string(f"newsletter/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_signup_mail(subscriber, kind, request):
    """The answer to a sign-up: a confirmation link, or a note that the address is already in."""
    if kind not in KINDS:
        raise ValueError(kind)
    extra = {}
    if kind == "confirm":
        with translation.override(subscriber.language):
            path = reverse("newsletter:confirm", kwargs={"token": make_confirm_token(subscriber)})
        extra = {"confirm_url": request.build_absolute_uri(path), "valid_days": CONFIRM_MAX_AGE.days}
    build_message(subscriber, kind, request.build_absolute_uri, extra).send()
