from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.exceptions import InvalidMove
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from iomsite.models import PublishableModel, PublishableQuerySet, TimeStampedModel, live_q
from iomsite.richtext import RichTextField, store_plain_text
from iomsite.trees import TreeWriteLockManagerMixin, TreeWriteLockMixin
from publications.pdftext import indexed_text, queue_extraction
from publications.validators import compact_doi, compact_isbn, validate_doi, validate_isbn, validate_issn

LANGUAGE_CHOICES = [*settings.LANGUAGES, ("other", _("Other"))]
RESERVED_SLUGS = {"feed"}  # /publications/feed/ is the RSS feed
NAMES_HELP = _(
    "One per line. A person as Family name, Given names (McAuliffe, Marie); an organisation by its name alone "
    "(International Organization for Migration)."
)


class PublicationSeries(TimeStampedModel):
    """A run of publications under one name (World Migration Report). A label, not a page."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Used in the listing's address when filtering."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences about the series."))

    class Meta:
        ordering = ["title"]
        verbose_name = _("publication series")
        verbose_name_plural = _("publication series")
        constraints = [models.UniqueConstraint(fields=["slug"], name="publications_series_unique_slug")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('publications:index')}?series={self.slug}"


class PublicationQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by(F("year").desc(), F("publication_date").desc(nulls_last=True), "-pk")


class Publication(PublishableModel):
    title = models.CharField(
        _("title"), max_length=300, help_text=_("As printed on the cover, in the publication's own language.")
    )
    slug = models.SlugField(_("slug"), max_length=120, help_text=_("The end of the page address. Keep it short."))
    series = models.ForeignKey(
        PublicationSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    edition = models.PositiveSmallIntegerField(
        _("edition number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Its number in the series: 9 for the ninth report. Leave empty if it is not part of a series."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1951), MaxValueValidator(2100)],
        help_text=_("The year in the title or on the cover, e.g. 2018 for World Migration Report 2018."),
    )
    publication_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("The day it was released. It may fall in the year before the cover year."),
    )
    isbn = models.CharField(
        "ISBN",
        max_length=20,
        blank=True,
        validators=[validate_isbn],
        help_text=_("10 or 13 digits, with or without hyphens, e.g. 978-92-9068-742-9."),
    )
    issn = models.CharField(
        "ISSN",
        max_length=9,
        blank=True,
        validators=[validate_issn],
        help_text=_("The series' ISSN when it has one, e.g. 1561-5502 for the World Migration Report."),
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_(
            "The publication's DOI when it has one, e.g. 10.18356/9789210029957. A full doi.org link works too."
        ),
    )
    authors = models.TextField(_("authors"), blank=True, help_text=NAMES_HELP)
    editors = models.TextField(_("editors"), blank=True, help_text=NAMES_HELP)
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the organisation publishes it; its name from the site settings is used."),
    )
    place = models.CharField(
        _("place of publication"), max_length=100, blank=True, help_text=_("The city on the imprint page: Geneva.")
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences for listings, search and social media.")
    )
    body = RichTextField(_("description"))
    body_text = models.TextField(editable=False, blank=True)
    cover = models.ForeignKey(
        "iomsite.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The front cover, from the image library."),
    )
    document = models.ForeignKey(
        "iomsite.Document",
        verbose_name=_("whole report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The complete publication as one file, from the document library."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        default="en",
        help_text=_("The language the publication is written in."),
    )
    themes = models.ManyToManyField("themes.Theme", verbose_name=_("themes"), related_name="publications", blank=True)
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions and countries"), related_name="publications", blank=True
    )
    # Symmetrical: linking the French edition from the English one links the English one from the
    # French one too, and unlinking either side removes both. Links are not transitive: link each pair.
    translations = models.ManyToManyField(
        "self",
        verbose_name=_("translations"),
        symmetrical=True,
        blank=True,
        help_text=_("The same publication in other languages. The link is added on both publications."),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        ordering = [F("year").desc(), F("publication_date").desc(nulls_last=True), "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            # The listing's and the home page's order read from an index (newest year first; within a year the
            # few publications are sorted), instead of sorting every publication. SQLite has no NULLS LAST in indexes.
            models.Index(fields=["-year", "-publication_date", "-id"], name="publication_newest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="publications_publication_unique_slug"),
            models.UniqueConstraint(
                fields=["isbn"], condition=~Q(isbn=""), name="publications_publication_unique_isbn"
            ),
            models.CheckConstraint(
                condition=Q(edition__isnull=True) | Q(edition__gte=1), name="publications_publication_edition_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1951, year__lte=2100), name="publications_publication_year_range"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is used by the site. Choose another slug.")
        if self.edition and not self.series_id:
            errors["edition"] = _("An edition number needs a series. Choose the series too.")
        errors.update(self._edition_title_errors())
        if errors:
            raise ValidationError(errors)

    def _edition_title_errors(self):
        """A translated title may not be another edition's title in that language (issue 20).

        The French edition is a publication of its own: giving the English edition its title
        too showed two cards with one title on every French listing.
        """
        errors = {}
        for code, _name in settings.LANGUAGES:
            value = (getattr(self, f"title_{code}", None) or "").strip()
            if code == settings.LANGUAGE_CODE or not value or code == self.language:
                continue
            others = Publication.objects.filter(language=code).exclude(pk=self.pk)
            if others.filter(Q(**{f"title_{settings.LANGUAGE_CODE}": value}) | Q(**{f"title_{code}": value})).exists():
                errors[f"title_{code}"] = _(
                    "This is the title of another edition, in its own language. Link that edition under "
                    "Translations and leave this title empty: readers then see each edition once."
                )
        return errors

    def save(self, *args, **kwargs):
        self.isbn = (self.isbn or "").strip()
        self.doi = compact_doi(self.doi)
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)
        if self.document_id:
            queue_extraction(self.document)

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def text_language(self):
        """The language of its untranslated fields: an edition's own (``iomsite.languages.source_language``)."""
        return self.language

    @property
    def isbn_compact(self):
        return compact_isbn(self.isbn)

    def search_data(self):
        """Uses ``themes``/``regions`` prefetched by the search queryset (no query per object)."""
        return {
            "title": self.title,
            "summary": self.summary,
            "body": "\n".join(filter(None, [self.body_text, indexed_text(self.document)])),
            "date": self.publication_date or date(self.year, 1, 1),
            "theme_ids": [theme.pk for theme in self.themes.all()],
            "region_ids": [region.pk for region in self.regions.all()],
        }


class TocEntryQuerySet(TreeQuerySet):
    def published(self, now=None):
        """Entries of live publications: an entry has no state of its own, it follows its publication."""
        return self.filter(live_q(now, prefix="publication__"))

    def readable(self):
        """What Previous/Next step through: front matter and chapters (parts only group them)."""
        return self.filter(kind__in=TocEntry.READABLE_KINDS)


class TocEntryManager(TreeWriteLockManagerMixin, TreeManager.from_queryset(TocEntryQuerySet)):
    # The lock mixin is named here: the metaclass alone misses mptt's copy of a manager declared on the model.

    def move_node(self, node, target, position="last-child"):
        """Drag and drop in the admin lands here: refuse a move that breaks the rules."""
        parent = target if position in ("first-child", "last-child") else target.parent
        if target.publication_id != node.publication_id:
            raise InvalidMove(_("An entry can only be moved within its own publication."))
        errors = node.placement_errors(parent)
        if errors:
            raise InvalidMove(" ".join(str(error) for error in errors))
        super().move_node(node, target, position)

    def reorder(self, publication, pks):
        """Put ``publication``'s entries in the reading order ``pks`` (the publication form's table of contents).

        Order counts among siblings (the top level, each part's chapters); entries not named keep
        their place after the named ones. Only groups whose order changed move, each entry through
        mptt's ``move_to`` (never by writing tree columns), read fresh before every move.
        """
        position = {pk: index for index, pk in enumerate(pks)}
        entries = list(self.filter(publication=publication).order_by("tree_id", "lft").values_list("pk", "parent_id"))
        groups = {}
        for index, (pk, parent_id) in enumerate(entries):
            groups.setdefault(parent_id, []).append((position.get(pk, len(pks) + index), pk))
        moved = 0
        for parent_id, members in groups.items():
            current = [pk for _key, pk in members]
            wanted = [pk for _key, pk in sorted(members)]
            if current == wanted:
                continue
            for index, pk in enumerate(wanted):
                node = self.get(pk=pk)
                if index:
                    node.move_to(self.get(pk=wanted[index - 1]), "right")
                elif parent_id is not None:
                    node.move_to(self.get(pk=parent_id), "first-child")
                else:
                    first = self.filter(publication=publication, parent=None).order_by("tree_id").first()
                    if first.pk != pk:
                        node.move_to(first, "left")
                moved += 1
        return moved


class TocEntry(TreeWriteLockMixin, MPTTModel, TimeStampedModel):
    """One line of a publication's table of contents.

    Top-level entries (front matter, parts, chapters outside any part) are roots, ordered by
    ``tree_id``; chapters inside a part are its children. Reading order is ``(tree_id, lft)``
    within the publication. Chapters have no sub-sections.
    """

    class Kind(models.TextChoices):
        FRONT_MATTER = "front", _("Front matter")
        PART = "part", _("Part")
        CHAPTER = "chapter", _("Chapter")

    READABLE_KINDS = (Kind.FRONT_MATTER, Kind.CHAPTER)

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="toc_entries"
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("part"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        limit_choices_to={"kind": "part"},
        help_text=_("For a chapter inside a part, choose the part. Leave empty for entries at the top level."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.CHAPTER,
        help_text=_("Front matter (foreword, acknowledgements) and parts sit at the top level; chapters anywhere."),
    )
    number = models.CharField(
        _("number"),
        max_length=50,
        blank=True,
        help_text=_("Optional label before the title, e.g. Chapter 2 or Part I."),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, help_text=_("The end of the entry's address."))
    summary = models.TextField(_("summary"), blank=True)
    document = models.ForeignKey(
        "iomsite.Document",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "pdf"},
        help_text=_("This chapter on its own, as a PDF from the document library."),
    )
    authors = models.TextField(
        _("authors"),
        blank=True,
        help_text=_(
            "Leave empty when the chapter's authors are the publication's. One per line: a person as Family name, "
            "Given names; an organisation by its name alone."
        ),
    )
    pages = models.CharField(
        _("pages"),
        max_length=30,
        blank=True,
        help_text=_("The chapter's pages in the printed report, e.g. 13–42."),
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_("The chapter's own DOI when it has one."),
    )

    objects = TocEntryManager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = _("table of contents entry")
        verbose_name_plural = _("table of contents entries")
        constraints = [
            models.UniqueConstraint(fields=["publication", "slug"], name="publications_tocentry_unique_slug"),
        ]

    def __str__(self):
        return f"{self.number} – {self.title}" if self.number else self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.publication_id:
            parent = self.parent if self.parent_id else None
            placement = self.placement_errors(parent)
            if placement:
                errors["parent"] = placement
        if self.kind != self.Kind.PART and self.pk and self.get_descendant_count():
            errors["kind"] = _("Only a part can contain chapters. Move this entry's chapters out first.")
        if self.document_id and self.document.kind != "pdf":
            errors["document"] = _("Choose a PDF document: this file is not a PDF (checked by its content).")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.doi = compact_doi(self.doi)
        super().save(*args, **kwargs)
        if self.document_id:
            queue_extraction(self.document)
        if self.pk and not self.is_leaf_node():
            # A part moved to another publication takes its chapters with it (not a tree column).
            self.get_descendants().exclude(publication_id=self.publication_id).update(
                publication_id=self.publication_id
            )

    def get_absolute_url(self):
        return reverse("publications:entry", kwargs={"slug": self.publication.slug, "entry_slug": self.slug})

    def placement_errors(self, parent):
        """Why this entry may not sit under ``parent`` (None: top level); empty when it may."""
        if parent is None:
            return []
        if self.pk and parent.pk == self.pk:
            return [_("An entry cannot be its own part.")]
        errors = []
        if parent.publication_id != self.publication_id:
            errors.append(_("The part belongs to another publication. Choose a part of this publication."))
        if parent.kind != self.Kind.PART:
            errors.append(_("Only a part can contain chapters."))
        if self.kind == self.Kind.PART:
            errors.append(_("A part sits at the top level: it cannot be inside another entry."))
        elif self.kind == self.Kind.FRONT_MATTER:
            errors.append(_("Front matter sits at the top level, outside the parts."))
        return errors

    @property
    def is_readable(self):
        return self.kind in self.READABLE_KINDS

    def _reading_queryset(self):
        return TocEntry.objects.readable().filter(publication_id=self.publication_id)

    def _before_q(self):
        return Q(tree_id=self.tree_id, lft__lt=self.lft) | Q(tree_id__lt=self.tree_id)

    def _after_q(self):
        return Q(tree_id=self.tree_id, lft__gt=self.lft) | Q(tree_id__gt=self.tree_id)

    def previous_entry(self):
        """The front matter or chapter read just before this one: one query on the tree columns."""
        return self._reading_queryset().filter(self._before_q()).order_by("-tree_id", "-lft").first()

    def next_entry(self):
        """The front matter or chapter read just after this one: one query on the tree columns."""
        return self._reading_queryset().filter(self._after_q()).order_by("tree_id", "lft").first()

    def reading_position(self):
        """1 for the first front matter or chapter of the publication, and so on."""
        return self._reading_queryset().filter(self._before_q()).count() + 1

    def search_data(self):
        """Uses the publication (and its themes/regions) prefetched by the search queryset."""
        publication = self.publication
        return {
            "title": str(self),
            "summary": self.summary,
            "body": indexed_text(self.document),
            "date": publication.publication_date,
            "theme_ids": [theme.pk for theme in publication.themes.all()],
            "region_ids": [region.pk for region in publication.regions.all()],
        }


class DocumentText(models.Model):
    """The text of a PDF that a publication or a chapter offers, extracted page by page in a background task.

    Kept per document (a file may serve several entries) with the file name it was read
    from, so a replaced file is read again. ``state`` tells editors which PDFs are scans
    without a text layer: their words cannot be found by the search.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be read")
        TEXT = "text", _("Text found")
        NO_TEXT = "no_text", _("No text: a scan?")
        FAILED = "failed", _("Could not be read")

    document = models.OneToOneField(
        "iomsite.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="publication_text"
    )
    source = models.CharField(max_length=300, blank=True, editable=False, help_text="The file that was read.")
    state = models.CharField(_("PDF text"), max_length=10, choices=State.choices, default=State.PENDING)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    extracted_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["document"]
        verbose_name = _("PDF text")
        verbose_name_plural = _("PDF texts")

    def __str__(self):
        return f"{self.document} ({self.get_state_display()})"

    def full_text(self):
        """Every page's text, in order (uses prefetched ``pages`` when there are)."""
        return "\n".join(page.text for page in self.pages.all())


class DocumentPage(models.Model):
    """One page's text of a PDF (``number`` counts from 1, as PDF readers show it)."""

    text_of = models.ForeignKey(DocumentText, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField()
    # The document's language, in the row: PostgreSQL's generated ``vector`` column (migration 0005)
    # stems the page in it.
    language = models.CharField(max_length=8, default="en")

    class Meta:
        ordering = ["text_of", "number"]
        verbose_name = _("PDF page")
        verbose_name_plural = _("PDF pages")
        constraints = [models.UniqueConstraint(fields=["text_of", "number"], name="publications_page_unique_number")]

    def __str__(self):
        return f"{self.text_of.document} p. {self.number}"


class DailyCount(models.Model):
    """Views and downloads of a publication or one of its entries, per language and day (decision 022).

    Written only in batches by ``publications.counts.flush()``, never in a visitor's request;
    no visitor is identified: no cookie, address or browser string is read into it.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    # Plain numbers, not foreign keys: statistics outlive what they count (a deleted chapter's
    # past downloads stay in the yearly totals), and they are no part of the content.
    publication_pk = models.PositiveIntegerField(_("publication"))
    entry_pk = models.PositiveIntegerField(_("chapter"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "publication_pk"],
                condition=Q(entry_pk__isnull=True),
                name="publications_count_unique_publication_day",
            ),
            models.UniqueConstraint(
                fields=["day", "language", "entry_pk"],
                condition=Q(entry_pk__isnull=False),
                name="publications_count_unique_entry_day",
            ),
        ]

    def __str__(self):
        item = f"chapter {self.entry_pk}" if self.entry_pk else f"publication {self.publication_pk}"
        return f"{self.day} {self.language} {item}: {self.views}/{self.downloads}"
