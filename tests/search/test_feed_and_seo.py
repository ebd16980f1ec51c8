import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from iomsite.models import Status
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_latest_content_feeds_list_published_content_only(client):
    make_page("live-one", title="Live report")
    make_page("draft-one", title="Draft report", published=False)
    make_page("later-one", title="Scheduled report", publish_at=timezone.now() + timedelta(days=1))
    for url, item_tag in (("/en/feed/", "item"), ("/en/feed/atom/", "{http://www.w3.org/2005/Atom}entry")):
        response = client.get(url)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        titles = [element.findtext("title") or element.findtext("{http://www.w3.org/2005/Atom}title")
                  for element in root.iter(item_tag)]  # fmt: skip
        assert "Live report" in titles
        assert "Draft report" not in titles and "Scheduled report" not in titles


def test_pages_link_the_feeds(client):
    html = client.get("/en/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/en/feed/"' in html
    assert 'type="application/atom+xml"' in html


def test_home_has_organization_json_ld_and_social_tags(client):
    from django.core.management import call_command

    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    html = client.get("/en/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Organization"
    assert data["name"] == "International Organization for Migration"
    assert data["telephone"] == "+41 22 717 9111"
    assert '<meta property="og:title"' in html and '<meta name="twitter:card"' in html
    assert '<link rel="canonical" href="http://testserver/en/">' in html


def test_feed_follows_unpublishing(client):
    page = make_page("soon-draft", title="Soon a draft")
    assert b"Soon a draft" in client.get("/en/feed/").content
    page.status = Status.DRAFT
    page.save()
    assert b"Soon a draft" not in client.get("/en/feed/").content
