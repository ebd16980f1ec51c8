"""Site chrome editable in the admin: settings, menus and basic pages."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from iomsite.models.base import PublishableModel, TimeStampedModel
from iomsite.richtext import RichTextField, store_plain_text
from iomsite.trees import TreeWriteLockMixin
from iomsite.validators import is_safe_link, validate_link


class SiteSettings(TimeStampedModel):
    """One row: the organisation's name and contact details shown in the header and footer."""

    name = models.CharField(_("organisation name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    address = models.TextField(_("headquarters address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    copyright_holder = models.CharField(_("copyright holder"), max_length=200, blank=True)
    twitter_url = models.URLField(_("X / Twitter"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)

    CACHE_KEY = "iomsite:site-settings"

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        self.forget()

    @classmethod
    def forget(cls):
        """Drop the cached copy in every language."""
        from django.conf import settings

        cache.delete_many([f"{cls.CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])

    @classmethod
    def load(cls):
        """The settings row, from the cache when possible (no query per page)."""
        from django.utils.translation import get_language

        key = f"{cls.CACHE_KEY}:{get_language()}"
        obj = cache.get(key)
        if obj is None:
            obj = cls.objects.filter(pk=1).first() or cls(name="International Organization for Migration")
            cache.set(key, obj, 300)
        from iomsite.freshness import shows_object

        shows_object(obj)  # a page showing the settings read from the cache carries their tags too
        return obj

    @property
    def social_links(self):
        pairs = [
            ("X", self.twitter_url),
            ("Facebook", self.facebook_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
            ("Instagram", self.instagram_url),
        ]
        return [(label, url) for label, url in pairs if url and is_safe_link(url)]


link_validator = validate_link  # a site path, an http(s) address on a named host, mailto: or tel:


def strip_language(url):
    """``/en/search/`` → ``/search/``: a typed site path is stored without its language."""
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        if url.startswith(f"/{code}/"):
            return url[len(code) + 1 :]
    return url


class Menu(models.TextChoices):
    HEADER = "header", _("Header: main navigation")
    UTILITY = "utility", _("Header: utility links")
    FOOTER = "footer", _("Footer")
    CENTRES = "centres", _("Footer: administrative centres")
    STRUCTURE = "structure", _("Footer: structure")


class MenuItem(TreeWriteLockMixin, MPTTModel, TimeStampedModel):
    menu = models.CharField(_("menu"), max_length=20, choices=Menu.choices, db_index=True)
    parent = TreeForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(_("title"), max_length=120)
    url = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[link_validator],
        help_text=_(
            "A full address on another site (https://…), or a path on this site written without the language "
            "(/search/): visitors get it in their own language. To link a page, theme, region, publication or "
            "other item, choose it below instead: the link follows it in every language."
        ),
    )
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Link to an item of the site: choose its kind, then the item."),
    )
    target_id = models.PositiveBigIntegerField(
        _("item number"),
        null=True,
        blank=True,
        help_text=_("The number at the end of the item's address in the admin (…/theme/12/change/ is 12)."),
    )
    target = GenericForeignKey("target_type", "target_id")
    page = models.ForeignKey(
        "iomsite.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="menu_items",
        help_text=_("Link to a basic page; it shows only while the page is published."),
    )
    is_active = models.BooleanField(_("shown"), default=True)

    class MPTTMeta:
        order_insertion_by = []

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self.url = strip_language(self.url)
        links = [bool(self.url), bool(self.page_id), bool(self.target_type_id or self.target_id)]
        if not any(links):
            raise ValidationError(_("Give a link or choose a page or an item."))
        if sum(links) > 1:
            raise ValidationError(_("Give one link: an address, a page or an item."))
        if self.target_type_id or self.target_id:
            self._clean_target()
        if self.parent_id and self.parent.menu != self.menu:
            raise ValidationError({"parent": _("The parent must be in the same menu.")})

    def _clean_target(self):
        from iomsite import content

        model = self.target_type.model_class() if self.target_type_id else None
        if model is None or not content.is_content(model) or not hasattr(model, "get_absolute_url"):
            raise ValidationError({"target_type": _("Choose a kind of item that has its own page.")})
        if self.target_id is None or not model._default_manager.filter(pk=self.target_id).exists():
            raise ValidationError({"target_id": _("No such item: choose one of this kind.")})

    def get_url(self, target=None):
        """The link in the active language: an item's or page's own address, or the typed one.

        ``target`` is the linked item when the caller has read it already (``iomsite.menus``).
        """
        if self.page_id:
            return self.page.get_absolute_url()
        if self.target_type_id:
            target = target if target is not None else self.target
            return target.get_absolute_url() if target is not None else ""
        url = self.url if is_safe_link(self.url) else ""  # a value saved without validation never renders
        if url.startswith("/") and not url.startswith(("/media/", "/static/", "/documents/")):
            # Paths are written without language (or with one, before issue 20): the visitor's language.
            from django.conf import settings
            from django.utils.translation import get_language

            url = f"/{get_language() or settings.LANGUAGE_CODE}{strip_language(url)}"
        return url


def validate_page_slug(value):
    """A basic page at ``/<slug>/`` must not hide a section of the site (``content.reserved_slugs``)."""
    from iomsite.content import reserved_slugs

    if value in reserved_slugs():
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another."), params={"slug": value})


class Page(PublishableModel):
    """A basic page (Terms and Conditions, Contact Us…) for content that belongs to no app."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, validators=[validate_page_slug])
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for listings and search."))
    body = RichTextField(_("body"))
    body_text = models.TextField(editable=False, blank=True)

    class Meta(PublishableModel.Meta):
        ordering = ["title"]
        verbose_name = _("basic page")
        verbose_name_plural = _("basic pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("page", kwargs={"slug": self.slug})

    def search_data(self):
        return {"title": self.title, "summary": self.summary, "body": self.body_text, "date": None}
