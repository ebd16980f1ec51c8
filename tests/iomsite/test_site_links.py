"""Links chosen from the site: stored by reference, rendered at the target's current address in each language."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from iomsite.models import Status
from iomsite.richtext import render, sanitize_html
from iomsite.workflow.models import BrokenLink
from tests.iomsite.factories import make_page
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db


def ref(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def site_link(obj, text="our work", href=None):
    return f'<p>Read <a data-ref="{ref(obj)}" href="{href or obj.get_absolute_url()}">{text}</a>.</p>'


def hrefs(html, text):
    return re.findall(rf'<a [^>]*href="([^"]+)"[^>]*>{text}</a>', html)


def test_the_sanitiser_allows_a_reference_only_on_links_and_only_in_its_form():
    kept = sanitize_html('<p><a data-ref="themes.theme:12" href="/en/x/">a</a></p>')
    assert 'data-ref="themes.theme:12"' in kept
    for bad in ("themes.theme:0", "themes.theme:x", "javascript:alert(1)", "themes.theme:1 onclick", "Theme:1"):
        assert "data-ref" not in sanitize_html(f'<p><a data-ref="{bad}" href="/en/x/">a</a></p>'), bad
    assert "data-ref" not in sanitize_html('<p><span data-ref="themes.theme:1">a</span></p>')
    assert "data-other" not in sanitize_html('<p><a data-other="1" href="/en/x/">a</a></p>')


def test_a_link_follows_its_target_when_it_moves_in_three_languages(client):
    labour = make_theme("labour-mobility")
    health = make_theme("health")
    recruitment = make_theme("ethical-recruitment", parent=labour)
    page = make_page(slug="about", title="About", body=site_link(recruitment))
    assert 'data-ref="themes.theme:' in page.body  # stored as the editor sent it

    recruitment.parent = health
    recruitment.save()  # moved: its address is now under health
    for language in ("en", "fr", "es"):
        html = client.get(f"/{language}/about/").content.decode()
        (address,) = hrefs(html, "our work")
        assert address == f"/{language}/themes/health/ethical-recruitment/"
        assert client.get(address).status_code == 200  # the visitor gets the page, no redirect needed
    recruitment.slug = "fair-recruitment"
    recruitment.save()
    html = client.get("/fr/about/").content.decode()
    assert hrefs(html, "our work") == ["/fr/themes/health/fair-recruitment/"]


def test_a_link_to_an_item_that_is_not_live_is_plain_text(client):
    draft = make_theme("secret-plans", published=False)
    make_page(slug="about", body=site_link(draft, text="the plans"))
    html = client.get("/en/about/").content.decode()
    assert "the plans" in html and not hrefs(html, "the plans")
    assert "secret-plans" not in html  # not even the stored address leaks


def test_typed_links_and_unknown_references_stay_as_stored():
    value = '<p><a href="https://example.org/">out</a> <a data-ref="auth.user:1" href="/en/x/">odd</a></p>'
    assert str(render(value)) == value


def test_render_costs_no_query_without_references_and_one_per_model_with(django_assert_num_queries):
    themes = [make_theme(f"theme-{n}") for n in range(3)]
    with django_assert_num_queries(0):
        render("<p>No links here.</p>")
    body = "".join(site_link(theme, text=f"t{n}") for n, theme in enumerate(themes))
    with django_assert_num_queries(1):
        html = render(sanitize_html(body))
    assert all(hrefs(html, f"t{n}") == [theme.get_absolute_url()] for n, theme in enumerate(themes))


def test_the_link_checker_reports_a_reference_to_an_unpublished_item():
    live = make_theme("live-theme")
    gone = make_theme("gone-theme")
    make_page(slug="links", title="Useful links", body=site_link(live, "a") + site_link(gone, "b"))
    gone.status = Status.DRAFT
    gone.save()
    call_command("check_links", stdout=StringIO())
    assert list(BrokenLink.objects.values_list("url", "object_repr")) == [("/en/themes/gone-theme/", "Useful links")]


def test_the_editor_loads_the_chooser(staff_client):
    page = make_page()
    html = staff_client.get(f"/admin/iomsite/page/{page.pk}/change/").content.decode()
    assert "iomsite/sitelink.js" in html and "SiteLink" in html and "/admin/explore/choose/" in html
