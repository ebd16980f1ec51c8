"""Every theme news item becomes a news article with its own page, nothing lost (issue 22).

Title, summary (now the standfirst), date and link are copied in every language; the article is
tagged with the item's theme and is of the kind "News". It is published when its theme was
visible (the theme and all its ancestors live), otherwise a draft: a news item was visible
exactly when its theme was, and no item may become visible that was not. Runs before the themes
app drops the news items.
"""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

LANGUAGES = ("en", "fr", "es")
KINDS = (
    ("news", 10, {"en": "News", "fr": "Actualité", "es": "Noticia"}),
    ("press-release", 20, {"en": "Press release", "fr": "Communiqué de presse", "es": "Comunicado de prensa"}),
    ("story", 30, {"en": "Story", "fr": "Récit", "es": "Historia"}),
)


def live(node, now):
    return (
        node.status == "published"
        and node.publish_at <= now
        and (node.unpublish_at is None or node.unpublish_at > now)
    )


def visible(theme, model, now):
    if not live(theme, now):
        return False
    ancestors = model.objects.filter(tree_id=theme.tree_id, lft__lt=theme.lft, rght__gt=theme.rght)
    return all(live(ancestor, now) for ancestor in ancestors)


def unique_slug(title, taken):
    base = (slugify(title) or "news")[:110].strip("-") or "news"
    slug, number = base, 2
    while slug in taken or slug == "feed":
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def forwards(apps, schema_editor):
    NewsItem = apps.get_model("themes", "NewsItem")
    Theme = apps.get_model("themes", "Theme")
    Kind = apps.get_model("news", "Kind")
    Article = apps.get_model("news", "Article")
    kinds = {}
    for slug, order, titles in KINDS:
        kinds[slug], _created = Kind.objects.get_or_create(
            slug=slug,
            defaults={"sort_order": order, "title": titles["en"], **{f"title_{c}": t for c, t in titles.items()}},
        )
    now = timezone.now()
    taken = set(Article.objects.values_list("slug", flat=True))
    shown = {}
    for item in NewsItem.objects.select_related("theme").order_by("date", "pk"):
        if item.theme_id not in shown:
            shown[item.theme_id] = visible(item.theme, Theme, now)
        translated = {}
        for code in LANGUAGES:
            translated[f"title_{code}"] = getattr(item, f"title_{code}", None)
            translated[f"standfirst_{code}"] = getattr(item, f"summary_{code}", None)
        article = Article.objects.create(
            kind=kinds["news"],
            slug=unique_slug(item.title_en or item.title, taken),
            title=item.title,
            standfirst=item.summary,
            date=item.date,
            link=item.url,
            body="",
            body_text="",
            status="published" if shown[item.theme_id] else "draft",
            publish_at=min(now, timezone.make_aware(datetime.combine(item.date, time(12)))),
            **translated,
        )
        article.themes.add(item.theme_id)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("themes", "0004_link_validator"),
    ]
    run_before = [("themes", "0005_remove_newsitem")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
