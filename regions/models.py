from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import TreeForeignKey

from iomsite.models import PublishableModel, PublishableQuerySet, TreePublishableQuerySet
from iomsite.models.tree import SlugPathNode
from iomsite.richtext import RichTextField, store_plain_text
from regions.iso3166 import COUNTRY_CODES

# Slugs that name the tabs and pages of a node: a child with one of them would be unreachable.
RESERVED_SLUGS = {"trends", "coverage", "resources", "offices", "figures"}


def validate_region_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another."), params={"slug": value})


def validate_iso_code(value):
    if value and value.strip().upper() not in COUNTRY_CODES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 country code. Use the two-letter code, e.g. KE for Kenya."),
            params={"code": value},
            code="invalid_iso_code",
        )


class Region(SlugPathNode, PublishableModel):
    """A node of the region > sub-region > country tree.

    ``path`` is the slug path from the root (``americas/central-america/honduras``): ``SlugPathNode``.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        COUNTRY = "country", _("Country")

    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Regions sit at the top. A sub-region sits under a region; a country under either."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGION)
    title = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        validators=[validate_region_slug],
        help_text=_("The last part of the web address, e.g. central-america. Changing it changes the address."),
    )
    iso_code = models.CharField(
        _("ISO 3166 code"),
        max_length=2,
        blank=True,
        validators=[validate_iso_code],
        help_text=_("Countries only: two letters, e.g. KE for Kenya."),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences for listings, search and social media.")
    )
    body = RichTextField(_("overview"))
    body_text = models.TextField(editable=False, blank=True)
    documents = models.ManyToManyField(
        "iomsite.Document",
        verbose_name=_("related documents"),
        blank=True,
        related_name="regions",
        help_text=_("Shown under Resources, with their type and size."),
    )

    objects = TreePublishableQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta(PublishableModel.Meta):
        ordering = ["tree_id", "lft"]
        verbose_name = _("region or country")
        verbose_name_plural = _("regions and countries")
        constraints = [
            models.UniqueConstraint(fields=["path"], name="regions_region_unique_path"),
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=Q(kind="country") & ~Q(iso_code=""),
                name="regions_region_unique_country_iso_code",
                violation_error_message=_("Another country already has this ISO code."),
            ),
            models.CheckConstraint(
                condition=Q(kind="country") | Q(iso_code=""),
                name="regions_region_iso_code_countries_only",
                violation_error_message=_("Only countries have an ISO code."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        self.iso_code = (self.iso_code or "").strip().upper()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "iso_code"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("regions:detail", kwargs={"path": self.path})

    def placement_error(self, parent):
        """Why this node may not sit under ``parent`` (None when it may): the tree's structural rules."""
        if parent is not None and parent.kind == self.Kind.COUNTRY:
            return _("A country cannot contain other places.")
        if self.kind == self.Kind.REGION and parent is not None:
            return _("A region sits at the top of the tree: leave the parent empty.")
        if self.kind == self.Kind.SUBREGION and (parent is None or parent.kind != self.Kind.REGION):
            return _("A sub-region must sit under a region.")
        return None

    def clean(self):
        super().clean()
        errors = {}
        self.iso_code = (self.iso_code or "").strip().upper()
        problem = self.placement_error(self.parent)
        if problem:
            errors["parent"] = problem
        if self.pk and self.kind == self.Kind.COUNTRY and self.children.exists():
            errors["kind"] = _("Places sit under this one; a country cannot contain other places.")
        if self.pk and self.kind != self.Kind.COUNTRY and self.offices.exists():
            errors["kind"] = _("Offices belong to this country; move them before changing its kind.")
        if self.kind == self.Kind.COUNTRY:
            if not self.iso_code:
                errors["iso_code"] = _("A country needs its ISO 3166 code.")
            elif self.iso_code in COUNTRY_CODES:
                twin = Region.objects.filter(kind=self.Kind.COUNTRY, iso_code=self.iso_code).exclude(pk=self.pk)
                if twin.exists():
                    errors["iso_code"] = _("Another country already has this ISO code: %(name)s.") % {
                        "name": twin.first().title
                    }
        elif self.iso_code:
            errors["iso_code"] = _("Only countries have an ISO code; leave it empty.")
        if self.slug and "parent" not in errors and self.path_taken():
            errors["slug"] = _("Another place under the same parent already uses this slug.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_country(self):
        return self.kind == self.Kind.COUNTRY

    def figures_missing_attribution(self):
        """Key figures that lack a year or a source: while any exists the region cannot be published."""
        return [figure for figure in self.figures.all() if not figure.is_attributed]

    def search_data(self):
        ancestors = list(self.get_ancestors().values_list("pk", flat=True))
        trends = " ".join(trend.body_text or "" for trend in self.trends.all())
        return {
            "title": self.title,
            "summary": self.summary,
            "body": f"{self.body_text or ''} {trends}".strip(),
            "date": None,
            "theme_ids": [],
            "region_ids": [*ancestors, self.pk],
        }


class KeyFigure(models.Model):
    """A figure of a region as data: value, unit, year and source (shown as cards, a chart, CSV and JSON)."""

    class Unit(models.TextChoices):
        PEOPLE = "people", _("people")
        PERCENT = "percent", _("per cent")
        CURRENCY = "currency", _("currency")
        NUMBER = "number", _("number")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(
        _("label"), max_length=200, help_text=_("What the figure counts, e.g. International migrants.")
    )
    value = models.DecimalField(
        _("value"),
        max_digits=18,
        decimal_places=3,
        help_text=_("The full number, without separators: 57500000 for 57.5 million; 8.7 for 8.7 per cent."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PEOPLE)
    currency_code = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the three capital letters of the currency, e.g. USD."))],
        help_text=_("For money only: the three-letter code, e.g. USD."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the figure refers to. Needed before the region can be published."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Who published the figure, e.g. UN DESA Population Division. Needed before publishing."),
    )
    source_url = models.URLField(
        _("source link"), blank=True, help_text=_("Optional: where the figure can be checked.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__gte=0, value__lte=100),
                name="regions_keyfigure_percent_range",
                violation_error_message=_("A percentage must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=~Q(unit="currency") | ~Q(currency_code=""),
                name="regions_keyfigure_currency_code",
                violation_error_message=_("A money amount needs its currency."),
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        errors = {}
        if self.unit == self.Unit.PERCENT and self.value is not None and not Decimal(0) <= self.value <= Decimal(100):
            errors["value"] = _("A percentage must be between 0 and 100.")
        if self.unit == self.Unit.CURRENCY and not self.currency_code:
            errors["currency_code"] = _("Give the currency of this amount, e.g. USD.")
        if self.unit != self.Unit.CURRENCY and self.currency_code:
            errors["currency_code"] = _("Only money amounts have a currency; leave it empty.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_attributed(self):
        return self.year is not None and bool((self.source or "").strip())

    @property
    def unit_key(self):
        """Figures with the same key share a chart axis (each currency on its own)."""
        return f"currency-{self.currency_code.lower()}" if self.unit == self.Unit.CURRENCY else self.unit


class Trend(models.Model):
    """A headed paragraph of a region's Trends tab."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="trends")
    heading = models.CharField(_("heading"), max_length=200)
    body = RichTextField(_("text"))
    body_text = models.TextField(editable=False, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("trend")
        verbose_name_plural = _("trends")

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)


class OfficeQuerySet(PublishableQuerySet):
    def published(self, now=None):
        """Live offices of live countries: an office never shows without its country."""
        return super().published(now).filter(country__in=Region.objects.published(now))


class Office(PublishableModel):
    """An office in a country: headquarters, regional or country office, administrative centre."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Headquarters")
        REGIONAL = "regional", _("Regional office")
        COUNTRY = "country", _("Country office")
        ADMINISTRATIVE = "administrative", _("Administrative centre")

    country = models.ForeignKey(
        Region,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="offices",
        limit_choices_to={"kind": Region.Kind.COUNTRY},
        help_text=_("The country the office is in. It shows only while that country is published."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COUNTRY)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Used in links to this office, e.g. manila gives …#office-manila. Unique across offices."),
    )
    address = models.TextField(_("address"), blank=True, help_text=_("One line per line of the postal address."))
    phone = models.CharField(_("phone"), max_length=50, blank=True, help_text=_("International form: +41 22 717 9111."))
    email = models.EmailField(_("e-mail"), blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Optional: what this office does, in a sentence."))
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)

    objects = OfficeQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [models.UniqueConstraint(fields=["slug"], name="regions_office_unique_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('regions:coverage', kwargs={'path': self.country.path})}#{self.anchor}"

    def clean(self):
        super().clean()
        if self.country_id and self.country.kind != Region.Kind.COUNTRY:
            raise ValidationError({"country": _("Choose a country, not a region.")})

    @property
    def anchor(self):
        return f"office-{self.slug}"

    @property
    def phone_link(self):
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
