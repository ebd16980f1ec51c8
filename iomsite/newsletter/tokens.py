"""Signed links for the e-mails: confirm (expires) and unsubscribe (never expires).

A token carries the subscriber's id and a keyed fingerprint of the address, so a link
stays bound to the address it was sent to even if an id were ever reused.
"""

from datetime import timedelta

from django.core import signing
from django.utils.crypto import salted_hmac

from iomsite.newsletter.models import Subscriber

CONFIRM_SALT = "iomsite.newsletter.confirm"
UNSUBSCRIBE_SALT = "iomsite.newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)


class InvalidToken(Exception):
    """The link was altered, cut short, or names no subscriber."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is older than ``CONFIRM_MAX_AGE``."""


def _fingerprint(email):
    return salted_hmac("iomsite.newsletter.address", email).hexdigest()[:16]


def make_confirm_token(subscriber):
    return signing.dumps([subscriber.pk, _fingerprint(subscriber.email)], salt=CONFIRM_SALT)


def make_unsubscribe_token(subscriber):
    # No timestamp: the same stable link in every mail, valid for as long as the address is.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([subscriber.pk, _fingerprint(subscriber.email)])


def _subscriber(payload):
    try:
        pk, fingerprint = payload
        subscriber = Subscriber.objects.get(pk=int(pk))
    except (TypeError, ValueError, Subscriber.DoesNotExist):
        raise InvalidToken from None
    if fingerprint != _fingerprint(subscriber.email):
        raise InvalidToken
    return subscriber


def read_confirm_token(token):
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
    return _subscriber(payload)


def read_unsubscribe_token(token):
    try:
        payload = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
    return _subscriber(payload)
