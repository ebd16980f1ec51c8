"""``make_*`` helpers for the core's content (pages, images, documents). Each returns a saved object."""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from iomsite.models import Document, Image, Page, Status

_counter = {"n": 0}


def unique(prefix):
    _counter["n"] += 1
    return f"{prefix}-{_counter['n']}"


def live(**extra):
    return {"status": Status.PUBLISHED, "publish_at": timezone.now() - timedelta(days=1), **extra}


def png_bytes(size=(800, 600), color=(0, 51, 160), fmt="PNG"):
    buffer = BytesIO()
    PILImage.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes(text="A test document"):
    buffer = BytesIO()
    PILImage.new("RGB", (200, 280), "white").save(buffer, "PDF")
    return buffer.getvalue()


def make_image(title=None, size=(800, 600), **fields):
    image = Image(title=title or unique("image"), alt_text=fields.pop("alt_text", "A blue rectangle."), **fields)
    image.file = ContentFile(png_bytes(size), name="test.png")
    image.save()
    return image


def make_document(title=None, content=None, name="report.pdf", **fields):
    document = Document(title=title or unique("Document"), **fields)
    document.file = ContentFile(content or pdf_bytes(), name=name)
    document.save()
    return document


def make_page(slug=None, published=True, **fields):
    slug = slug or unique("page")
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update({"title": slug.replace("-", " ").title(), "body": "<p>Body.</p>"})
    defaults.update(fields)
    return Page.objects.create(slug=slug, **defaults)


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {Page: lambda **state: make_page(unique("page"), **state)}
