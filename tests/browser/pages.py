"""The key pages of the demo site: the home page, one page of each content type, search."""

KEY_PAGES = {
    "home": "/en/",
    "theme": "/en/themes/migration-policy/",
    "theme-resources": "/en/themes/labour-migration/resources/",
    "theme-news": "/en/themes/labour-migration/news-and-media/",
    "consultation-series": "/en/consultations/iom-ngo-humanitarian-consultations/",
    "consultation-event": (
        "/en/consultations/iom-ngo-humanitarian-consultations/2018/iom-ngo-humanitarian-consultation/"
    ),
    "region": "/en/regions/americas/",
    "region-trends": "/en/regions/americas/trends/",
    "country": "/en/regions/east-and-horn-of-africa/kenya/",
    "offices": "/en/regions/offices/",
    "publication": "/en/publications/world-migration-report-2018/",
    "chapter": "/en/publications/world-migration-report-2018/migration-and-migrants-global-overview/",
    "publications": "/en/publications/",
    "page": "/en/contact-us/",
    "search": "/en/search/?q=migration",
    "newsletter": "/en/newsletter/",
}


def visit(page, path):
    """Open ``path`` and fail on anything but a 200."""
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    return response
