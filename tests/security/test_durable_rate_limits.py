"""The sign-up limit per IP is kept in the database: emptying (or flooding) the shared cache does not reset it."""

import pytest
from django.core.cache import cache

from iomsite import ratelimit
from iomsite.newsletter.limits import PER_IP
from tests.newsletter.helpers import sign_up

pytestmark = pytest.mark.django_db


def test_a_cache_flood_does_not_reset_the_sign_up_limit(client, mailoutbox):
    for n in range(PER_IP):
        sign_up(client, f"person{n}@example.org", ip="198.51.100.9")
    sent = len(mailoutbox)
    cache.clear()  # what a flood of distinct page addresses does to an evicting cache
    answer = sign_up(client, "one-more@example.org", ip="198.51.100.9")
    assert "Too many sign-up requests" in answer.content.decode()
    assert len(mailoutbox) == sent


def test_durable_and_cache_counts_agree():
    for _ in range(3):
        assert ratelimit.hit("test-durable", "x", 3, 60, durable=True)
        assert ratelimit.hit("test-cache", "x", 3, 60)
    assert not ratelimit.hit("test-durable", "x", 3, 60, durable=True)
    assert not ratelimit.hit("test-cache", "x", 3, 60)
    assert ratelimit.hit("test-durable", "y", 3, 60, durable=True)  # another value, its own count
