"""The link fields (menus, related links, projects, news): the validator's truth table, and
templates that never render a link the validator would refuse (a value written without
validation, by a loader or the shell, must not become a ``javascript:`` link)."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from iomsite.models import Menu, MenuItem, SiteSettings
from iomsite.models.site import link_validator
from iomsite.validators import is_safe_link

ACCEPTED = [
    "/",
    "/en/themes/",
    "/en/search/?q=migration&type=theme",
    "/en/publications/world-migration-report-2018/#contents",
    "/media/documents/report.pdf",
    "https://www.iom.int/",
    "https://www.iom.int/world-migration-report?lang=fr#top",
    "http://example.org/path",
    "https://sub.domain.example.org:8443/a/b",
    "https://xn--bcher-kva.example/",
    "mailto:info@iom.int",
    "mailto:info@iom.int?subject=Hello%20there",
    "tel:+41 22 717 9111",
    "tel:+41-22-717-91-11",
]

REFUSED = [
    "",
    "//evil.example/x",
    "///evil.example/x",
    "/\\evil.example",
    "/\\/evil.example",
    "/en/\\..\\x",
    "/en/themes/\n",
    "/en/themes/\r\nSet-Cookie: x=1",
    "/en/\tthemes/",
    "/en/th emes/",
    "/en/\x00",
    "https://www.iom.int/\n",
    "https://www.iom.int/ x",
    "http://0177.0.0.1/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://127.0.0.1/",
    "http://10.0.0.5/admin/",
    "http://[::1]/",
    "http://localhost/",
    "http://localhost:8000/",
    "https://www.iom.int@evil.example/",
    "https://user:pass@evil.example/",
    "https:/evil.example",
    "https:evil.example",
    "https://",
    "https://-evil-.example/",
    "ftp://example.org/file",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "mailto:",
    "mailto:not-an-address",
    "mailto:info@iom.int\n",
    "mailto:a@b.example%0d%0aBcc:x@y.example",
    "tel:",
    "tel:javascript:alert(1)",
    "tel:+41 22\n",
    "themes/",
    "#top",
    "www.iom.int",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_accepted_links(value):
    link_validator(value)
    assert is_safe_link(value)


@pytest.mark.parametrize("value", REFUSED)
def test_refused_links(value):
    with pytest.raises(ValidationError):
        link_validator(value)
    assert not is_safe_link(value)


def test_the_refusal_says_what_to_write():
    with pytest.raises(ValidationError) as error:
        link_validator("//evil.example/x")
    assert "starting with /" in error.value.messages[0]


@pytest.mark.parametrize("value", ["javascript:alert(1)", "//evil.example/", "data:text/html,x", "/\\evil.example"])
def test_the_safe_link_filter_renders_nothing_for_a_refused_value(value):
    html = Template('{% load iomsite %}<a href="{{ url|safe_link }}">x</a>').render(Context({"url": value}))
    assert html == '<a href="">x</a>'


def test_the_safe_link_filter_keeps_a_good_value():
    html = Template('{% load iomsite %}<a href="{{ url|safe_link }}">x</a>').render(Context({"url": "/en/?a=1&b=2"}))
    assert html == '<a href="/en/?a=1&amp;b=2">x</a>'


@pytest.mark.django_db
def test_a_menu_item_saved_without_validation_never_renders_javascript(client):
    MenuItem.objects.create(menu=Menu.FOOTER, title="Evil", url="javascript:alert(document.cookie)")
    MenuItem.objects.create(menu=Menu.FOOTER, title="Elsewhere", url="//evil.example/")
    MenuItem.objects.create(menu=Menu.FOOTER, title="Fine", url="/en/themes/")
    html = client.get("/en/").content.decode()
    assert "javascript:" not in html and "//evil.example" not in html
    assert 'href="/en/themes/"' in html


@pytest.mark.django_db
def test_social_links_saved_without_validation_are_left_out(client):
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={"name": "IOM", "twitter_url": "javascript:alert(1)", "youtube_url": "https://www.youtube.com/iom"},
    )
    html = client.get("/en/").content.decode()
    assert "javascript:" not in html and "https://www.youtube.com/iom" in html


@pytest.mark.django_db
def test_theme_links_saved_without_validation_never_render_javascript(client):
    from tests.factories import live
    from tests.news.factories import make_article
    from themes.models import FeaturedProject, Theme, ThemeLink

    theme = Theme.objects.create(title="Labour Migration", slug="labour-migration", summary="S.", **live())
    ThemeLink.objects.create(theme=theme, title="Bad link", url="javascript:alert(1)")
    FeaturedProject.objects.create(theme=theme, title="Bad project", url="javascript:alert(2)")
    article = make_article(title="Bad news", link="javascript:alert(3)", themes=[theme])
    for url in (
        article.get_absolute_url(),
        f"{theme.get_absolute_url()}resources/",
        f"{theme.get_absolute_url()}news-and-media/",
        theme.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "javascript:" not in response.content.decode(), url
