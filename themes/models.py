from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import TreeForeignKey
from mptt.querysets import TreeQuerySet

from iomsite.models import PublishableModel, TreePublishableQuerySet
from iomsite.models.site import link_validator
from iomsite.models.tree import SlugPathNode
from iomsite.richtext import RichTextField, store_plain_text
from themes.video import parse_video_url, validate_video_url

# Tabs live under a theme's address (/themes/<path>/resources/): no sub-topic may take these slugs.
RESOURCES_TAB = "resources"
NEWS_TAB = "news-and-media"
RESERVED_SLUGS = (RESOURCES_TAB, NEWS_TAB)


def related_content(name):
    """The many-to-many relation another app declares to themes under ``related_name=name``, if installed.

    Themes import no other content app: the tabs find what links to a theme by these names
    (``publications``: ``Publication.themes``; ``news_articles``: the news articles' ``themes``).
    """
    for relation in Theme._meta.related_objects:
        if relation.name == name and relation.many_to_many:
            return relation
    return None


def publication_relation():
    """The publications app's ``Publication.themes`` (related name ``publications``), if it exists."""
    return related_content("publications")


def news_relation():
    """The news articles' ``themes`` (related name ``news_articles``), if news is installed."""
    return related_content("news_articles")


def news_of(theme):
    """A theme's live news articles, newest first (none when news is not installed)."""
    relation = news_relation()
    if relation is None:
        return None
    articles = relation.related_model._default_manager.published().filter(**{relation.field.name: theme})
    return articles.order_by("-date", "-publish_at", "-pk")


class ThemeQuerySet(TreeQuerySet, TreePublishableQuerySet):
    def with_tab_flags(self):
        """Annotate whether the Resources and News and Media tabs have anything to show (no extra query)."""
        pk = OuterRef("pk")
        flags = {
            "has_documents": Exists(ThemeDocument.objects.filter(theme=pk)),
            "has_links": Exists(ThemeLink.objects.filter(theme=pk)),
            "has_videos": Exists(Video.objects.filter(theme=pk)),
        }
        for flag, relation in (("has_publications", publication_relation()), ("has_news", news_relation())):
            if relation is not None:
                related = relation.related_model._default_manager.published()
                flags[flag] = Exists(related.filter(**{relation.field.name: pk}))
        return self.annotate(**flags)


class ThemeManager(TreeManager.from_queryset(ThemeQuerySet)):
    pass


class Theme(SlugPathNode, PublishableModel):
    """A thematic page in the tree: Labour Migration > Ethical Recruitment > …"""

    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The broader topic this one belongs to. Leave empty for a main topic."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_(
            "The last part of the page address, made from the title: lowercase letters, numbers and hyphens. "
            "Changing it (or moving the topic) changes the address; the old address keeps working."
        ),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for listings and search."))
    body = RichTextField(
        _("overview"), help_text=_("The Overview tab: vision, objectives, beneficiaries, approach, with headings.")
    )
    body_text = models.TextField(editable=False, blank=True)
    image = models.ForeignKey(
        "iomsite.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Optional. Shown on cards that link to this topic and when the page is shared."),
    )
    objects = ThemeManager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta(PublishableModel.Meta):
        ordering = ["tree_id", "lft"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["path"], name="themes_theme_unique_path"),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="themes_theme_slug_not_reserved",
                violation_error_message=_("This slug is the name of a tab; choose another."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not self.slug:
            return
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is the address of a tab of every topic; choose another slug.")
                    % {"slug": self.slug}
                }
            )
        if self.parent_id is not None and self.parent_id == self.pk:
            return  # the tree form reports this one
        if self.path_taken():
            message = _("Another topic already has the address /themes/%(path)s/. Choose another slug.")
            raise ValidationError({"slug": message % {"path": self.stored_and_wanted_path()[1]}})

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("themes:detail", kwargs={"path": self.path})

    @property
    def resources_url(self):
        return reverse("themes:resources", kwargs={"path": self.path})

    @property
    def news_url(self):
        return reverse("themes:news", kwargs={"path": self.path})

    def search_data(self):
        return {
            "title": self.title,
            "summary": self.summary,
            "body": self.body_text,
            "date": None,
            "theme_ids": [self.pk],
            "region_ids": [],
        }


class ThemePart(models.Model):
    """Something shown on a theme's page; visible exactly when the theme is."""

    sort_order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]


class Infographic(ThemePart):
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="infographics")
    image = models.ForeignKey(
        "iomsite.Image", verbose_name=_("image"), on_delete=models.PROTECT, related_name="theme_infographics"
    )
    caption = models.CharField(
        _("caption"), max_length=500, blank=True, help_text=_("Leave empty to use the image's own caption.")
    )
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Leave empty to use the image's own credit.")
    )

    class Meta(ThemePart.Meta):
        verbose_name = _("infographic")
        verbose_name_plural = _("infographics")

    def __str__(self):
        return self.caption or str(_("Infographic %(number)s") % {"number": self.sort_order})

    @property
    def shown_caption(self):
        return self.caption or self.image.caption

    @property
    def shown_credit(self):
        return self.credit or self.image.credit


class FeaturedProject(ThemePart):
    class Kind(models.TextChoices):
        PROJECT = "project", _("Featured project")
        INITIATIVE = "initiative", _("Key initiative")

    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="projects")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PROJECT)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Two or three sentences."))
    image = models.ForeignKey(
        "iomsite.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theme_projects",
    )
    url = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[link_validator],
        help_text=_("Optional. A page on this site (/en/…) or a full address (https://…)."),
    )

    class Meta(ThemePart.Meta):
        verbose_name = _("featured project or key initiative")
        verbose_name_plural = _("featured projects and key initiatives")

    def __str__(self):
        return self.title


class ThemeLink(ThemePart):
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(
        _("link"),
        max_length=500,
        validators=[link_validator],
        help_text=_("A page on this site (/en/…) or a full address (https://…)."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta(ThemePart.Meta):
        verbose_name = _("related link")
        verbose_name_plural = _("related links")

    def __str__(self):
        return self.title


class ThemeDocument(ThemePart):
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "iomsite.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="theme_documents"
    )

    class Meta(ThemePart.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["theme", "document"], name="themes_document_once_per_theme")]

    def __str__(self):
        return str(self.document)


class Video(ThemePart):
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(
        _("video address"),
        max_length=500,
        validators=[validate_video_url],
        help_text=_("The address of the video on YouTube or Vimeo, copied from the browser. Other sites are refused."),
    )
    summary = models.TextField(_("summary"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Optional. When the video was published."))
    thumbnail = models.ForeignKey(
        "iomsite.Image",
        verbose_name=_("thumbnail"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theme_videos",
        help_text=_(
            "Optional. A still from the library. Without one the video's title is shown; "
            "nothing is loaded from YouTube or Vimeo until a visitor presses play."
        ),
    )

    class Meta(ThemePart.Meta):
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:video", kwargs={"path": self.theme.path, "pk": self.pk})

    @cached_property
    def ref(self):
        return parse_video_url(self.url)

    @property
    def embed_url(self):
        return self.ref.embed_url() if self.ref else ""

    @property
    def autoplay_embed_url(self):
        """For the player a visitor starts by pressing play on the listing."""
        return self.ref.embed_url(autoplay=True) if self.ref else ""
