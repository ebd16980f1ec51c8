"""``make run`` loads the demo each time: it adds what is missing and never overwrites an editor's change."""

import io

import pytest
from django.core.management import call_command

from iomsite.models import Page, SiteSettings
from publications.news.models import Article
from regions.models import Region
from themes.models import Theme

pytestmark = pytest.mark.django_db


def load(*args):
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def test_loading_twice_keeps_editors_changes_and_reset_puts_the_demo_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load()
    counts = {model: model.objects.count() for model in (Article, Theme, Region, Page)}
    # An editor changes seeded items of several apps, their links and their inline rows.
    article = Article.objects.get(slug="recruiters-sign-up-to-fair-hiring")
    article.standfirst = "Edited by an editor."
    article.save()
    article.themes.clear()
    theme = Theme.objects.get(path="labour-migration")
    theme.title = "Labour mobility"
    theme.save()
    switzerland = Region.objects.get(slug="switzerland")
    switzerland.summary = "Our own summary."
    switzerland.save()
    figure = Region.objects.get(slug="europe").figures.first()
    figure.value = "1"
    figure.save()
    page = Page.objects.get(slug="contact-us")
    page.body = "<p>Call us.</p>"
    page.save()
    site = SiteSettings.load()
    site.phone = "+41 00 000 0000"
    site.save()
    Article.objects.filter(slug="hurricane-response-in-haiti").delete()  # a demo item an editor removed

    assert "existing items kept" in load()
    article.refresh_from_db()
    assert article.standfirst == "Edited by an editor." and not article.themes.exists()
    assert Theme.objects.get(pk=theme.pk).title == "Labour mobility"
    assert Region.objects.get(pk=switzerland.pk).summary == "Our own summary."
    assert Region.objects.get(slug="europe").figures.get(pk=figure.pk).value == 1
    assert Page.objects.get(pk=page.pk).body == "<p>Call us.</p>"
    assert SiteSettings.load().phone == "+41 00 000 0000"
    assert Article.objects.filter(slug="hurricane-response-in-haiti").exists()  # what is missing comes back
    assert {model: model.objects.count() for model in counts} == counts  # nothing duplicated

    assert "reset" in load("--reset")
    article.refresh_from_db()
    assert article.standfirst.startswith("More recruitment agencies") and article.themes.exists()
    assert Theme.objects.get(pk=theme.pk).title == "Labour Migration"
    assert Page.objects.get(pk=page.pk).body != "<p>Call us.</p>"


def test_the_newsletter_form_links_the_privacy_notice(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert 'href="/en/privacy/"' not in client.get("/en/newsletter/").content.decode()  # no page, no link
    load()
    html = client.get("/en/newsletter/").content.decode()
    assert 'href="/en/privacy/"' in html
    notice = client.get("/en/privacy/").content.decode()
    assert "Privacy and Personal Data" in notice and "unsubscribe" in notice
