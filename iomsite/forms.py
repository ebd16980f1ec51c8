"""Admin forms shared by the media library."""

import logging

from django import forms
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import FileField
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("iomsite.uploads")

STORE_FAILED = _(
    "The file could not be stored on the server (the disk may be full); nothing was saved. "
    "Please try again later, and tell the site's technical team if it happens again."
)


class StoreUploadsMixin:
    """Write new uploads to storage while the form validates, not after.

    Django writes an upload only when the model is saved, after validation, so a full
    disk would surface as a server error. Here a failed write becomes a form error on
    the file field: the editor sees it, no database row is made, and the storage
    (``iomsite.storage``) has already removed its partial file. The write happens only
    once every other check has passed, so a refused file is never stored.
    """

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        for field in self.instance._meta.concrete_fields:
            if isinstance(field, FileField):
                self._store(field)

    def _store(self, field):
        file = getattr(self.instance, field.attname)
        if not file or file._committed:
            return
        upload = file.file
        try:
            file.save(upload.name, upload, save=False)
        except (OSError, SuspiciousFileOperation):
            logger.exception("upload of %r to %s could not be stored", upload.name, field.name)
            self.add_error(field.name, forms.ValidationError(STORE_FAILED, code="store_failed"))
            return
        if hasattr(self.instance, "file_size"):
            self.instance.file_size = file.size


class MediaAdminForm(StoreUploadsMixin, forms.ModelForm):
    """The form of ``ImageAdmin`` and ``DocumentAdmin``."""


class ImageAdminForm(MediaAdminForm):
    """Left empty, the focal point is the centre (what every image had before focal points)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_focal_x(self):
        value = self.cleaned_data.get("focal_x")
        return 50 if value is None else value

    def clean_focal_y(self):
        value = self.cleaned_data.get("focal_y")
        return 50 if value is None else value

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk and "alt_text_en" in self.fields and not (cleaned_data.get("alt_text_en") or "").strip():
            from iomsite.usage import uses

            if uses(instance):
                self.add_error("alt_text_en", _("This image is used on pages: it needs its alternative text."))
        return cleaned_data
