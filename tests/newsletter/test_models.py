from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from iomsite.newsletter.models import Subscriber
from iomsite.newsletter.sitemaps import NewsletterSitemap

pytestmark = pytest.mark.django_db


def test_address_is_normalised_on_save_and_in_forms():
    subscriber = Subscriber.objects.create(email="  Mixed.Case@Example.ORG ")
    assert subscriber.email == "mixed.case@example.org"
    twin = Subscriber(email="MIXED.case@example.org")
    with pytest.raises(ValidationError):
        twin.full_clean()  # the admin and forms see the clash before the database does


def test_the_database_keeps_one_lower_case_row_per_address():
    Subscriber.objects.create(email="once@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.bulk_create([Subscriber(email="once@example.org")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.filter(email="once@example.org").update(email="Once@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.filter(email="once@example.org").update(status="maybe")


def test_sign_up_states():
    subscriber, kind = Subscriber.objects.sign_up("New@Example.org", "fr", ["a"])
    assert (subscriber.email, subscriber.status, kind) == ("new@example.org", "pending", "confirm")
    subscriber, kind = Subscriber.objects.sign_up("new@example.org", "es", ["b"])
    assert (subscriber.status, subscriber.language, subscriber.topics, kind) == ("pending", "fr", ["a"], "confirm")
    subscriber.confirm()
    assert Subscriber.objects.sign_up("new@example.org", "es", ["b"])[1] == "already_subscribed"
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.topics) == ("fr", ["a"])
    subscriber.unsubscribe()
    subscriber, kind = Subscriber.objects.sign_up("new@example.org", "es", [])
    assert (subscriber.status, subscriber.language, kind) == ("pending", "es", "confirm")
    assert subscriber.unsubscribed_at is not None  # the history stays
    assert list(Subscriber.objects.confirmed()) == []
    assert str(subscriber) == "new@example.org"


def test_sitemap_lists_the_signup_page_in_every_language():
    urls = NewsletterSitemap().get_urls(site=SimpleNamespace(domain="testserver"), protocol="https")
    assert sorted(url["location"] for url in urls) == [
        "https://testserver/en/newsletter/",
        "https://testserver/es/newsletter/",
        "https://testserver/fr/newsletter/",
    ]
