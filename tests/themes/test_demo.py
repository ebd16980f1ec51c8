import io

import pytest
from django.utils import translation

from themes import demo
from themes.models import FeaturedProject, Infographic, Theme, ThemeDocument, ThemeLink, Video

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    with translation.override("en"):
        demo.load(out)
    return out.getvalue()


def counts():
    return [m.objects.count() for m in (Theme, Infographic, FeaturedProject, ThemeLink, ThemeDocument, Video)]


def test_demo_tree_of_the_thematic_areas():
    assert "themes:" in load()
    assert set(Theme.objects.published().values_list("path", flat=True)) >= {
        "labour-migration",
        "labour-migration/ethical-recruitment",
        "labour-migration/ethical-recruitment/iris",
        "migrant-training-and-integration",
        "counter-trafficking",
        "migration-policy",
        "migration-policy/policy-advice",
    }


def test_demo_is_idempotent_and_leaves_a_consistent_tree():
    load()
    before = counts()
    tree = list(Theme.objects.values_list("pk", "tree_id", "lft", "rght", "level", "path"))
    load()
    assert counts() == before
    Theme._tree_manager.rebuild()
    assert list(Theme.objects.values_list("pk", "tree_id", "lft", "rght", "level", "path")) == tree


def test_demo_keeps_the_facts(client):
    load()
    labour = client.get("/en/themes/labour-migration/").content.decode()
    for fact in ("70 countries", "more than 400 offices"):
        assert fact in labour, fact
    trafficking = client.get("/en/themes/counter-trafficking/").content.decode()
    for fact in (
        "International Recruitment Integrity System (IRIS)",
        "Counter-Trafficking Data Collaborative",
        "In 2017",
        "over 80,000",
        "171 countries",
        "170 countries",
        "Global Assistance Fund",
        "2000",
        "2,700",
        "close to 100,000",
        "mid-1990s",
    ):
        assert fact in trafficking, fact


def test_demo_labour_migration_in_french_and_spanish(client):
    load()
    french = client.get("/fr/themes/labour-migration/").content.decode()
    assert "Migration de main-d&#x27;œuvre" in french and "plus de 400 bureaux" in french
    spanish = client.get("/es/themes/labour-migration/").content.decode()
    assert "<h1>Migración laboral</h1>" in spanish and "más de 400 oficinas" in spanish


def test_demo_tabs_have_content(client):
    load()
    for url in (
        "/en/themes/labour-migration/resources/",
        "/en/themes/labour-migration/news-and-media/",
        "/en/themes/counter-trafficking/news-and-media/",
        "/en/themes/migrant-training-and-integration/resources/",
    ):
        assert client.get(url).status_code == 200, url
    assert all(video.ref for video in Video.objects.all())
