"""Menus link items, not typed paths: each language gets the item's own address."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from iomsite.menus import menu_trees
from iomsite.models import Menu, MenuItem
from tests.iomsite.factories import make_page
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db


def link_to(obj, title="Labour", menu=Menu.HEADER, **fields):
    item = MenuItem(
        menu=menu, title=title, target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk, **fields
    )
    item.full_clean()
    item.save()
    return item


def header_links(client, language):
    html = client.get(f"/{language}/").content.decode()
    nav = re.search(r'<nav class="primary".*?</nav>', html, re.S)
    if nav is None:
        return {}  # no main menu at all
    nav = nav.group(0)
    return {title: href for href, title in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)}


def test_a_menu_item_linking_an_item_leads_to_it_in_each_language(client):
    theme = make_theme("labour-migration", title_fr="Migration de main-d’œuvre")
    link_to(theme, title="Labour", title_fr="Travail", title_es="Trabajo")
    assert header_links(client, "en")["Labour"] == "/en/themes/labour-migration/"
    assert header_links(client, "fr")["Travail"] == "/fr/themes/labour-migration/"
    assert header_links(client, "es")["Trabajo"] == "/es/themes/labour-migration/"
    response = client.get(header_links(client, "fr")["Travail"])
    assert response.status_code == 200 and "Migration de main-d’œuvre" in response.content.decode()


def test_a_draft_item_is_not_linked_until_it_is_live(client):
    draft = make_theme("hidden-theme", published=False)
    link_to(draft, title="Hidden")
    link_to(make_theme("shown-theme"), title="Shown")
    assert "Hidden" not in header_links(client, "en") and "Shown" in header_links(client, "en")


def test_a_typed_path_with_a_language_follows_the_visitors_language(client):
    item = MenuItem(menu=Menu.HEADER, title="Search", url="/en/search/")
    item.full_clean()
    assert item.url == "/search/"  # stored without its language
    item.save()
    MenuItem.objects.create(menu=Menu.HEADER, title="Old", url="/en/themes/")  # saved before the change
    assert header_links(client, "fr")["Search"] == "/fr/search/"
    assert header_links(client, "fr")["Old"] == "/fr/themes/"


def test_an_external_link_stays_as_typed(client):
    item = MenuItem(menu=Menu.HEADER, title="UN", url="https://www.un.org/en/")
    item.full_clean()
    item.save()
    assert header_links(client, "fr")["UN"] == "https://www.un.org/en/"


def test_one_link_per_item():
    theme = make_theme("one-link")
    both = MenuItem(
        menu=Menu.HEADER,
        title="Both",
        url="/search/",
        target_type=ContentType.objects.get_for_model(theme),
        target_id=theme.pk,
    )
    with pytest.raises(ValidationError):
        both.full_clean()
    nothing = MenuItem(menu=Menu.HEADER, title="Nothing")
    with pytest.raises(ValidationError):
        nothing.full_clean()
    missing = MenuItem(
        menu=Menu.HEADER, title="Gone", target_type=ContentType.objects.get_for_model(theme), target_id=10**9
    )
    with pytest.raises(ValidationError) as error:
        missing.full_clean()
    assert "target_id" in error.value.message_dict


def test_menus_cost_one_query_per_kind_of_item(django_assert_max_num_queries):
    page = make_page("about")
    MenuItem.objects.create(menu=Menu.FOOTER, title="About", page=page)
    link_to(make_theme("first"), title="First")
    with django_assert_max_num_queries(4) as few:
        menu_trees()
    for index in range(5):
        link_to(make_theme(f"more-{index}"), title=f"More {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        menus, _next = menu_trees()
    assert len(menus[Menu.HEADER]) == 6


def test_the_menu_form_offers_kinds_of_items(staff_client):
    html = staff_client.get("/admin/iomsite/menuitem/add/").content.decode()
    assert 'name="target_type"' in html and 'name="target_id"' in html
    assert "/en/themes/" not in html  # the help text no longer invites typed language paths
