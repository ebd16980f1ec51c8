"""An article's life as editors and visitors meet it: draft, preview, publish, everywhere it shows, unpublish."""

import re
from datetime import date

import pytest

from iomsite.models import Status
from iomsite.search.index import rebuild
from publications.news.models import Article
from tests.helpers import sitemap_pages
from tests.iomsite.factories import make_image
from tests.news.factories import make_article
from tests.publications.factories import make_publication
from tests.themes.factories import make_theme
from tests.workflow.helpers import change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db

TITLE = "Fair recruitment pledge signed in Manila"


def links(response):
    return re.findall(r'href="([^"]+)"', response.content.decode())


def visitor_sees(client, article, theme):
    """Where a visitor would meet the article, each as a visitor gets there (following links)."""
    url = article.get_absolute_url()
    rebuild()
    home = client.get("/en/")
    listing = client.get("/en/news/")
    tab = client.get(theme.news_url)
    search = client.get("/en/search/", {"q": "Manila pledge"})
    return {
        "page": client.get(url).status_code == 200,
        "home": url in links(home),
        "listing": url in links(listing),
        "theme tab": tab.status_code == 200 and url in links(tab),
        "search": url in [entry.url for entry in search.context["page"]],
        "news feed": f"http://testserver{url}" in client.get("/en/news/feed/").content.decode(),
        "theme feed": f"http://testserver{url}" in client.get(theme.news_url + "rss/").content.decode(),
        "site feed": f"http://testserver{url}" in client.get("/en/feed/").content.decode(),
        "sitemap": f"http://testserver{url}" in sitemap_pages(client),
    }


def test_an_article_from_draft_to_published_and_back(client, editor_client, publisher_client):
    theme = make_theme("labour-migration", title="Labour migration")
    image = make_image("Recruiters at the signing", alt_text="Six people sign a document at a long table.")
    image.credit = "© IOM 2024 / A. Photographer"
    image.save()
    report = make_publication("wmr-2024", title="World Migration Report 2024")
    # An editor writes the article in the admin: it is a draft.
    response = editor_client.post(
        changelist_url(Article) + "add/",
        {
            "kind": Article._meta.get_field("kind")
            .related_model.objects.get_or_create(slug="news", defaults={"title": "News"})[0]
            .pk,
            "title_en": TITLE,
            "slug": "manila-pledge",
            "date": "2024-05-02",
            "standfirst_en": "Forty recruitment agencies pledged to charge workers no fees.",
            "body_en": "<p>The pledge <script>alert(1)</script>was signed on Thursday.</p>",
            "image": image.pk,
            "themes": [theme.pk],
            "publications": [report.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="manila-pledge")
    assert article.status == Status.DRAFT and "<script" not in article.body
    assert set(visitor_sees(client, article, theme).values()) == {False}
    assert client.get(article.get_absolute_url()).status_code == 404
    # Staff preview it, with the banner, never cached.
    preview = editor_client.get(article.get_absolute_url())
    assert preview.status_code == 200 and preview.context["preview"] is True
    assert "no-cache" in preview["Cache-Control"]
    # A publisher publishes it.
    data = form_data(publisher_client.get(change_url(article)), _publish="1")
    assert publisher_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.is_live
    seen = visitor_sees(client, article, theme)
    assert seen == dict.fromkeys(seen, True), seen
    page = client.get(article.get_absolute_url()).content.decode()
    assert TITLE in page and "Forty recruitment agencies" in page
    assert 'alt="Six people sign a document at a long table."' in page and "© IOM 2024 / A. Photographer" in page
    assert "World Migration Report 2024" in page and 'href="/en/themes/labour-migration/"' in page
    assert '<time datetime="2024-05-02">' in page
    # Unpublished, it leaves every surface again.
    publisher_client.post(changelist_url(Article), {"action": "unpublish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert set(visitor_sees(client, article, theme).values()) == {False}


def test_the_page_in_other_languages_says_what_it_falls_back_to(client):
    make_article("only-english", title="Only in English", title_fr=None)
    make_article("translated", title="In English", title_fr="En français", standfirst_fr="Un résumé.")
    page = client.get("/fr/news/translated/").content.decode()
    assert "En français" in page and "Un résumé." in page
    page = client.get("/fr/news/only-english/").content.decode()
    assert 'lang="en"' in page and "Only in English" in page


def test_the_home_page_leads_with_the_latest_news(client):
    make_publication("a-report", title="A report")
    make_article("older", title="Older news", date=date(2020, 1, 1))
    make_article("newest", title="Newest news", date=date(2024, 1, 1))
    make_article("hidden", title="Hidden news", published=False, date=date(2025, 1, 1))
    html = client.get("/en/").content.decode()
    sections = re.findall(r'<section class="home-section home-([-\w]+)"', html)
    assert sections[0] == "news"
    assert html.index("Newest news") < html.index("Older news") and "Hidden news" not in html
    assert 'href="/en/news/"' in html
