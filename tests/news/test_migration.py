"""The themes' news items become articles with their own pages, nothing lost (news/0002)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("themes", "0004_link_validator"), ("news", "0001_initial")]
AFTER = [("themes", "0005_remove_newsitem"), ("news", "0002_theme_news_items")]


@pytest.mark.django_db(transaction=True)
def test_news_items_become_articles():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Theme, NewsItem = old.get_model("themes", "Theme"), old.get_model("themes", "NewsItem")
    now = timezone.now()
    live = {"status": "published", "publish_at": now - timedelta(days=1)}
    tree = {"tree_id": 1, "level": 0, "lft": 1, "rght": 4}
    labour = Theme.objects.create(title_en="Labour", slug="labour", path="labour", body_en="", **live, **tree)
    hidden = Theme.objects.create(
        title_en="Hidden", slug="hidden", path="labour/hidden", parent=labour, body_en="", status="draft",
        tree_id=1, level=1, lft=2, rght=3,
    )  # fmt: skip
    NewsItem.objects.create(
        theme=labour, title_en="Fair hiring", title_fr="Recrutement équitable", summary_en="Agencies sign up.",
        summary_es="Las agencias se suman.", date=date(2019, 10, 14), url="https://example.org/iris",
    )  # fmt: skip
    NewsItem.objects.create(theme=labour, title_en="Fair hiring", date=date(2020, 1, 1))
    NewsItem.objects.create(theme=hidden, title_en="Not yet", date=date(2021, 1, 1))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Article = new.get_model("news", "Article")
    articles = {article.slug: article for article in Article.objects.all()}
    assert set(articles) == {"fair-hiring", "fair-hiring-2", "not-yet"}
    first = articles["fair-hiring"]
    assert (first.title_en, first.title_fr, first.standfirst_en, first.standfirst_es) == (
        "Fair hiring", "Recrutement équitable", "Agencies sign up.", "Las agencias se suman.",
    )  # fmt: skip
    assert first.date == date(2019, 10, 14) and first.link == "https://example.org/iris"
    assert first.kind.slug == "news" and list(first.themes.values_list("slug", flat=True)) == ["labour"]
    assert first.status == "published" and first.publish_at <= timezone.now()
    assert articles["not-yet"].status == "draft"  # its theme was not visible: nor is the article
    assert "themes_newsitem" not in connection.introspection.table_names()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
