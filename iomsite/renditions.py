"""Image renditions: resized WebP files made with Pillow on first request, kept in storage."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps


def rendition_name(image, width, crop=None):
    if crop:
        return f"renditions/{image.pk}/{image.crop_version}-{width}-{crop}.webp"
    return f"renditions/{image.pk}/{image.version}-{width}.webp"


def focal_box(size, ratio, focal):
    """The largest box of ``ratio`` (across, down) inside ``size``, centred on ``focal`` (percentages) if it can be."""
    width, height = size
    across, down = ratio
    if width * down > height * across:  # wider than the crop: full height
        box_w, box_h = round(height * across / down), height
    else:
        box_w, box_h = width, round(width * down / across)
    left = min(max(round(width * focal[0] / 100 - box_w / 2), 0), width - box_w)
    top = min(max(round(height * focal[1] / 100 - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def make_rendition(image, width, crop=None):
    """Return the storage name of ``image`` at ``width``, creating it if missing.

    With ``crop`` (``iomsite.models.media.CROPS``), the image is first cut to the crop's
    proportions around its focal point. EXIF data (camera, GPS location) is not copied:
    renditions carry pixels only.
    """
    from iomsite.models.media import CROPS

    name = rendition_name(image, width, crop)
    if default_storage.exists(name):
        return name
    with image.file.open("rb") as source, PILImage.open(source) as img:
        img = ImageOps.exif_transpose(img)
        if crop:
            img = img.crop(focal_box(img.size, CROPS[crop], (image.focal_x, image.focal_y)))
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
