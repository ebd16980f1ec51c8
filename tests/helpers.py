"""Helpers shared by the tests of several apps."""

import re

from django.urls import reverse

from iomsite import content


def sitemap_pages(client):
    """The text of every page the sitemap index (``/sitemap.xml``) points to, in one string.

    The index itself lists only section pages; the addresses of the content are in those.
    """
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200
    bodies = []
    for location in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        response = client.get(location)
        assert response.status_code == 200, location
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def sitemap_section_urls():
    """The first page of every section of the sitemap."""
    return [reverse("sitemap_section", kwargs={"section": section}) for section in content.sitemaps()]
