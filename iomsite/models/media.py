"""The media library: images (with renditions) and documents."""

import hashlib
import os
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iomsite.media import delete_files, forget_renditions
from iomsite.models.base import TimeStampedModel
from iomsite.validators import SAFE_EXTENSIONS_IMAGE, inspect_document, inspect_image, safe_stem


def image_upload_to(instance, filename):
    ext = SAFE_EXTENSIONS_IMAGE.get(getattr(instance, "format", ""), ".img")
    now = timezone.now()
    return f"images/{now:%Y/%m}/{uuid.uuid4().hex[:10]}-{safe_stem(filename, 'image')}{ext}"


def document_upload_to(instance, filename):
    ext = f".{instance.kind}" if instance.kind else ".bin"
    now = timezone.now()
    return f"documents/{now:%Y/%m}/{uuid.uuid4().hex[:10]}-{safe_stem(filename, 'document')}{ext}"


# Proportions of the cropped renditions (across, down): cards and page headers.
CROPS = {"card": (3, 2), "header": (3, 1)}


def stored_file_name(obj):
    """The file name stored for ``obj`` when this save replaces it, else None (one query on change)."""
    if obj.pk is None or obj._state.adding:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("file", flat=True).first()
    return stored if stored and stored != obj.file.name else None


class MediaDraftMixin(models.Model):
    """Sections and drafts of live media (decision 017).

    ``draft`` holds the pending values of the fields visitors see (``drafted_fields``, each
    language's column) and, for a new file, its storage name and the columns derived from it.
    The live columns stay what public pages read until a publisher publishes the draft.
    """

    section_field = "section"
    drafted_fields = ()
    file_columns = ("file", "file_size")

    section = models.ForeignKey(
        "workflow.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The team whose section this belongs to. Leave empty for the whole site: everyone can use it, "
            "only editors without a section can change it."
        ),
    )
    draft = models.JSONField(_("draft changes"), default=dict, blank=True, editable=False)
    draft_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("draft changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draft_at = models.DateTimeField(_("draft changed at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def drafted_columns(cls):
        """The columns of ``drafted_fields``: each language's column for a translated field."""
        from modeltranslation.settings import AVAILABLE_LANGUAGES
        from modeltranslation.translator import NotRegistered, translator
        from modeltranslation.utils import build_localized_fieldname

        try:
            translated = set(translator.get_options_for_model(cls).fields)
        except NotRegistered:
            translated = set()
        columns = []
        for name in cls.drafted_fields:
            if name in translated:
                columns += [build_localized_fieldname(name, code) for code in AVAILABLE_LANGUAGES]
            else:
                columns.append(name)
        return columns

    @property
    def has_draft(self):
        return bool(self.draft)

    @property
    def draft_file_name(self):
        return self.draft.get("file", "")

    def show_draft(self):
        """Put the draft's values on this instance (in memory: the editor's form shows the draft)."""
        draft = dict(self.draft)
        if "file" in draft:
            self.file = draft.pop("file")
        for name, value in draft.items():
            setattr(self, name, value)
        return self

    def draft_from(self, edited):
        """``{column: value}`` where ``edited`` (this row changed in a form) differs from the live row."""
        changes = {
            name: getattr(edited, name)
            for name in self.drafted_columns()
            if getattr(edited, name) != getattr(self, name)
        }
        if edited.file.name != self.file.name:
            changes.update({name: getattr(edited, name) for name in self.file_columns})
            changes["file"] = edited.file.name
        return changes


class Image(MediaDraftMixin, TimeStampedModel):
    title = models.CharField(_("title"), max_length=200, help_text=_("For finding the image in the library."))
    file = models.ImageField(_("file"), upload_to=image_upload_to, width_field="width", height_field="height")
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it. Say what matters, "
            "in one sentence; do not start with 'Image of'. Required before the image can be used on a page."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_("For example: © IOM 2018"))
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    format = models.CharField(_("format"), max_length=10, editable=False, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), editable=False, default=0)
    focal_x = models.PositiveSmallIntegerField(
        _("focal point across (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("What must stay in view when the image is cropped for cards and headers: 0 is the left edge."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point down (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0 is the top edge. Click on the image above to set both."),
    )

    drafted_fields = ("alt_text", "caption", "credit", "focal_x", "focal_y")
    choice_validators = ("require_alt_text",)
    file_columns = ("file_size", "width", "height", "format")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.format, _w, _h = inspect_image(self.file.file)
            self.file_size = self.file.size
        replaced = stored_file_name(self)
        super().save(*args, **kwargs)
        if replaced is not None:
            delete_files(replaced)
            forget_renditions(self.pk, keep_version=self.version)

    def clean(self):
        super().clean()
        upload = self.file.file if self.file and not self.file._committed else None
        if upload is not None:
            try:
                self.format, _w, _h = inspect_image(upload)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None

    @property
    def version(self):
        return hashlib.sha1(self.file.name.encode(), usedforsecurity=False).hexdigest()[:8]

    @property
    def crop_version(self):
        """Changes with the file and the focal point: a crop's address is never reused for other pixels."""
        key = f"{self.file.name}|{self.focal_x}|{self.focal_y}"
        return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8]

    @staticmethod
    def require_alt_text(image):
        """A content form may name an image only once it has alternative text (``choice_validators``)."""
        if image is not None and not (image.alt_text_en or "").strip():
            raise ValidationError(
                _("“%(image)s” has no alternative text yet. Add it in the image library before using the image."),
                params={"image": image},
                code="no_alt_text",
            )

    def crop_size(self, crop):
        """The largest ``(width, height)`` of the original with the crop's proportions."""
        across, down = CROPS[crop]
        width = min(self.width, round(self.height * across / down))
        return width, max(1, round(width * down / across))

    def crop_renditions(self, crop, max_width=None):
        """``[(url, width, height)]`` of the crop (``CROPS``) around the focal point, smallest first."""
        top, _h = self.crop_size(crop)
        across, down = CROPS[crop]
        steps = settings.IOMSITE_RENDITION_WIDTHS
        top = min(top, max_width or steps[-1], steps[-1])
        widths = sorted({w for w in steps if w < top} | {top})
        return [
            (
                reverse(
                    "rendition_crop",
                    kwargs={"pk": self.pk, "version": self.crop_version, "width": w, "crop": crop, "ext": "webp"},
                ),
                w,
                max(1, round(w * down / across)),
            )
            for w in widths
        ]

    def allows_crop_width(self, crop, width):
        return crop in CROPS and width in {w for _u, w, _h in self.crop_renditions(crop)}

    def rendition_ext(self):
        return "webp"

    def rendition_url(self, width):
        return reverse(
            "rendition", kwargs={"pk": self.pk, "version": self.version, "width": width, "ext": self.rendition_ext()}
        )

    def rendition_widths(self, max_width=None):
        """The widths to offer: the configured steps below the original, capped."""
        steps = settings.IOMSITE_RENDITION_WIDTHS
        top = min(self.width or steps[0], max_width or steps[-1], steps[-1])
        return sorted({w for w in steps if w < top} | {top})

    def allows_rendition_width(self, width):
        return width == min(self.width, settings.IOMSITE_RENDITION_WIDTHS[-1]) or (
            width in settings.IOMSITE_RENDITION_WIDTHS and width <= self.width
        )

    def renditions(self, max_width=None):
        """``[(url, width, height)]``, smallest first."""
        return [
            (self.rendition_url(w), w, max(1, round(self.height * w / self.width)))
            for w in self.rendition_widths(max_width)
        ]


class DocumentType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    DOC = "doc", "Word 97-2003"
    XLSX = "xlsx", "Excel"
    XLS = "xls", "Excel 97-2003"
    PPTX = "pptx", "PowerPoint"
    ODT = "odt", "OpenDocument Text"
    ODS = "ods", "OpenDocument Spreadsheet"
    CSV = "csv", "CSV"
    TXT = "txt", _("Text")


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
}


PREVIEW_SALT = "iomsite.document-preview"


class Document(MediaDraftMixin, TimeStampedModel):
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[*settings.LANGUAGES, ("other", _("Other"))],
        default="en",
        help_text=_("The language the document is written in."),
    )
    kind = models.CharField(_("type"), max_length=8, choices=DocumentType.choices, editable=False, blank=True)
    file_size = models.PositiveBigIntegerField(_("size"), editable=False, default=0)
    standalone = models.BooleanField(
        _("downloadable on its own"),
        default=False,
        help_text=_(
            "Visitors can download a document only while a live page links to it. Tick this (publishers only) "
            "for a document that other websites link to directly."
        ),
    )

    drafted_fields = ("title", "language")
    file_columns = ("file_size", "kind")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.kind = inspect_document(self.file.file)
            self.file_size = self.file.size
        replaced = stored_file_name(self)
        super().save(*args, **kwargs)
        delete_files(replaced)

    def get_absolute_url(self):
        return reverse("document_download", kwargs={"pk": self.pk, "filename": self.download_name})

    def clean(self):
        super().clean()
        if self.file and not self.file._committed:
            try:
                self.kind = inspect_document(self.file.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None

    def preview_token(self):
        """A signed key opening this document's download before it is public (``IOMSITE_DOCUMENT_PREVIEW_DAYS``)."""
        return signing.TimestampSigner(salt=PREVIEW_SALT).sign(str(self.pk))

    def preview_url(self):
        return f"{self.get_absolute_url()}?{urlencode({'key': self.preview_token()})}"

    def preview_key_valid(self, key):
        try:
            value = signing.TimestampSigner(salt=PREVIEW_SALT).unsign(
                key, max_age=timedelta(days=settings.IOMSITE_DOCUMENT_PREVIEW_DAYS)
            )
        except signing.BadSignature:  # tampered, another document's, or expired (SignatureExpired)
            return False
        return value == str(self.pk)

    @property
    def download_name(self):
        return f"{safe_stem(self.title, 'document')}.{self.kind or 'bin'}"

    @property
    def content_type(self):
        return CONTENT_TYPES.get(self.kind, "application/octet-stream")

    @property
    def type_label(self):
        return self.get_kind_display() if self.kind else ""

    @property
    def filename(self):
        return os.path.basename(self.file.name)


@receiver(post_delete, sender=Image, dispatch_uid="iomsite-image-files")
@receiver(post_delete, sender=Document, dispatch_uid="iomsite-document-files")
def remove_files(sender, instance, **kwargs):
    """A deleted image or document leaves storage with its renditions (after the commit), on every delete path."""
    delete_files(instance.file.name, instance.draft_file_name)
    if sender is Image:
        forget_renditions(instance.pk)
