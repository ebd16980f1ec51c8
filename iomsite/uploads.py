"""Several files at once into the media library (issue 26): each becomes a draft image or document.

Each file is checked by its content as every upload is (``iomsite.validators``: Pillow for
images, signatures for documents); its title comes from its file name. An image arrives
without alternative text: it stays in the library until an editor writes one, and no
content form accepts it before (``Image.choice_validators``).
"""

import os
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from iomsite.models import Document, Image
from iomsite.validators import inspect_document, inspect_image

MAX_FILES = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def title_from(name):
    """“world-migration_report 2018.pdf” → “World migration report 2018”."""
    stem = os.path.splitext(os.path.basename(name))[0]
    words = re.sub(r"[\s_\-.]+", " ", stem).strip()
    return (words[:1].upper() + words[1:])[:200] or str(_("Untitled"))


IMAGE_NAMES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def kind_of(upload):
    """``"image"`` or ``"document"``, decided by the content; ValidationError for anything else."""
    try:
        inspect_image(upload)
        return "image"
    except ValidationError:
        if upload.name.lower().endswith(IMAGE_NAMES):
            raise  # meant as an image: say why it is not one
    finally:
        upload.seek(0)
    try:
        inspect_document(upload)
        return "document"
    except ValidationError:
        raise ValidationError(_("This file is neither an image nor an allowed document type.")) from None
    finally:
        upload.seek(0)


class MultipleUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Choose several images (JPEG, PNG, WebP, GIF) or documents (PDF, Word, Excel, PowerPoint, "
            "OpenDocument, CSV, text) at once. Each becomes a draft in the library, titled from its file name."
        ),
    )
    section = forms.ModelChoiceField(queryset=None, required=False, label=_("Section"))

    def __init__(self, *args, scope=None, **kwargs):
        from iomsite.workflow.models import Section

        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        field.queryset = Section.objects.all()
        field.help_text = Image._meta.get_field("section").help_text
        if scope is not None:
            field.queryset = Section.objects.filter(pk__in=scope.section_ids)
            field.required = True
            field.empty_label = None

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(count)d files at once."), params={"count": MAX_FILES})
        problems, self.kinds = [], []
        for upload in files:
            try:
                self.kinds.append(kind_of(upload))
            except ValidationError as error:
                problems.append(f"{upload.name}: {' '.join(error.messages)}")
        if problems:
            raise ValidationError([ValidationError(problem) for problem in problems])
        return files

    def save(self, user):
        """Create one draft per file, all or none. Returns the new rows."""
        created = []
        section = self.cleaned_data.get("section")
        with transaction.atomic():
            for upload, kind in zip(self.cleaned_data["files"], self.kinds, strict=True):
                model = Image if kind == "image" else Document
                obj = model(title=title_from(upload.name), section=section)
                obj.file = upload
                obj.save()
                created.append(obj)
        return created
