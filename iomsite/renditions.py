"""Image renditions: resized WebP files made with Pillow on first request, kept in storage."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps


def rendition_name(image, width):
    return f"renditions/{image.pk}/{image.version}-{width}.webp"


def make_rendition(image, width):
    """Return the storage name of ``image`` at ``width``, creating it if missing.

    EXIF data (camera, GPS location) is not copied: renditions carry pixels only.
    """
    name = rendition_name(image, width)
    if default_storage.exists(name):
        return name
    with image.file.open("rb") as source, PILImage.open(source) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode not in ("RGB", "RGBA"):
            img = img.convert("RGBA" if "transparency" in img.info or img.mode in ("LA", "P") else "RGB")
        if img.width > width:
            height = max(1, round(img.height * width / img.width))
            img = img.resize((width, height), PILImage.Resampling.LANCZOS)
        buffer = BytesIO()
        img.save(buffer, "WEBP", quality=80, method=4)
    if not default_storage.exists(name):  # another process may have made it meanwhile
        saved = default_storage.save(name, ContentFile(buffer.getvalue()))
        if saved != name:  # lost a race: the other process's file is the rendition
            default_storage.delete(saved)
    return name
