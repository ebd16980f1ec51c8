from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iomsite.models import PublishableModel, PublishableQuerySet, TimeStampedModel
from iomsite.models.site import link_validator
from iomsite.richtext import RichTextField, store_plain_text

RESERVED_SLUGS = {"feed"}  # /news/feed/ is the feed


class Kind(TimeStampedModel):
    """What sort of article: news, press release, story… A label editors can add to, not a page."""

    title = models.CharField(_("title"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=50, help_text=_("Used in the news listing's address when filtering by kind.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("kind of article")
        verbose_name_plural = _("kinds of article")
        constraints = [models.UniqueConstraint(fields=["slug"], name="news_kind_unique_slug")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('news:index')}?kind={self.slug}"


class ArticleQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-publish_at", "-pk")


class Article(PublishableModel):
    """A news article, press release or story with its own page."""

    kind = models.ForeignKey(Kind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, help_text=_("The end of the page address. Keep it short."))
    date = models.DateField(
        _("date"), default=timezone.localdate, help_text=_("The day of the news, shown on the article and in lists.")
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("One or two sentences under the title that say what happened; also used in lists and search."),
    )
    body = RichTextField(_("body"), help_text=_("The article itself, with headings, links and images."))
    body_text = models.TextField(editable=False, blank=True)
    image = models.ForeignKey(
        "iomsite.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Optional. Shown at the top of the article with the image's alt text and credit."),
    )
    link = models.CharField(
        _("read more at"),
        max_length=500,
        blank=True,
        validators=[link_validator],
        help_text=_("Optional. Where the full story is told elsewhere: a page on this site (/en/…) or https://…"),
    )
    themes = models.ManyToManyField("themes.Theme", verbose_name=_("themes"), related_name="news_articles", blank=True)
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions and countries"), related_name="news_articles", blank=True
    )
    publications = models.ManyToManyField(
        "publications.Publication", verbose_name=_("related publications"), related_name="news_articles", blank=True
    )
    events = models.ManyToManyField(
        "consultations.ConsultationEvent",
        verbose_name=_("related events"),
        related_name="news_articles",
        blank=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        ordering = ["-date", "-publish_at", "-pk"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        indexes = [models.Index(fields=["-date", "-publish_at", "-id"], name="news_article_newest")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="news_article_unique_slug"),
            models.CheckConstraint(
                condition=~models.Q(slug__in=sorted(RESERVED_SLUGS)),
                name="news_article_slug_not_reserved",
                violation_error_message=_("This address is used by the site. Choose another slug."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    def search_data(self):
        """Uses ``themes``/``regions`` prefetched by the search queryset (no query per object)."""
        return {
            "title": self.title,
            "summary": self.standfirst,
            "body": self.body_text,
            "date": self.date or date.today(),
            "theme_ids": [theme.pk for theme in self.themes.all()],
            "region_ids": [region.pk for region in self.regions.all()],
        }
