"""Generated news for benchmarks (``manage.py generate_content``).

Scale 1: 1,000 articles over the three kinds and thirty years, two in three with a lead image
from the shared media set, tagged with main themes and regions like the generated
publications. The first main topic carries every article (its News and Media tab and theme
feed have many pages), each article one more theme and one region.
"""

from datetime import date, timedelta

from iomsite.generate import (
    PREFIX,
    Text,
    bulk_create,
    counted,
    first_generated,
    generated_slugs,
    publishing,
    store_text,
)
from publications.generate import tags
from publications.news.demo import kinds
from publications.news.models import Article
from themes.models import Theme

BASE = 1000


def generate(context):
    kind_list = list(kinds().values())
    existing = generated_slugs(Article.objects.all())
    themes, regions = tags()
    # The depth-3 theme of the benchmark (themes.generate.bench_pages) carries news as well, so
    # its News and Media tab exists at every scale, as a main topic's does.
    deep = list(Theme.objects.filter(slug=f"{PREFIX}theme-0-0-0").values_list("pk", flat=True))
    articles, plans = [], []
    for index in range(counted(BASE, context.scale)):
        slug = f"{PREFIX}article-{index + 1}"
        if slug in existing:
            continue
        text = Text("article", index)
        articles.append(
            Article(
                slug=slug,
                kind=kind_list[index % len(kind_list)],
                date=date(2025, 12, 31) - timedelta(days=index * 11),
                image_id=context.media.image(index).pk if index % 3 else None,
                **text.fields("title", "title", 4),
                **text.fields("standfirst", "summary"),
                **text.fields("body", "html", 4),
                **publishing(index, draft_every=40),
            )
        )
        plans.append(text)
    store_text(articles, "body", "body_text")
    bulk_create(Article, articles)
    theme_links, region_links = [], []
    for article, text in zip(articles, plans, strict=True):
        chosen = {themes[0], text.rng.choice(themes)} if themes else set()
        if deep and len(theme_links) % 5 == 0:
            chosen.add(deep[0])
        for pk in chosen:
            theme_links.append(Article.themes.through(article_id=article.pk, theme_id=pk))
        for pk in {text.rng.choice(regions)} if regions else ():
            region_links.append(Article.regions.through(article_id=article.pk, region_id=pk))
    Article.themes.through.objects.bulk_create(theme_links, batch_size=1000)
    Article.regions.through.objects.bulk_create(region_links, batch_size=1000)
    return {"news articles": len(articles)}


def bench_pages():
    article = first_generated(
        Article.objects.published().filter(slug__startswith=PREFIX).order_by("pk"), "article", slug=f"{PREFIX}article-1"
    )
    return [("news", "/en/news/"), ("article", article.get_absolute_url())]
