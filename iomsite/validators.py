"""Upload checks by content, never by name; the link fields' check."""

import contextlib
import ipaddress
import os
import re
import zipfile
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

SAFE_EXTENSIONS_IMAGE = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


def check_file_name(name):
    """Refuse names that are dangerous whatever their content."""
    base = os.path.basename(name or "")
    if not base or "\x00" in base or base.startswith(".") or "/" in name or "\\" in name:
        raise ValidationError(_("This file name is not allowed."), code="bad_name")
    parts = base.lower().split(".")
    dangerous = {"html", "htm", "svg", "js", "php", "exe", "sh", "htaccess", "xhtml", "shtml"}
    if any(part in dangerous for part in parts[1:]):
        raise ValidationError(_("This file name is not allowed."), code="bad_name")


def inspect_image(uploaded):
    """Decode ``uploaded`` with Pillow and return ``(format, width, height)``.

    Raises ValidationError for anything that is not a JPEG, PNG, WebP or GIF
    within our byte and pixel limits. The pixel check reads the header only, so
    a small file claiming a huge canvas is refused before any decoding.
    """
    check_file_name(getattr(uploaded, "name", ""))
    size = getattr(uploaded, "size", None)
    if size is not None and size > settings.IOMSITE_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This image is %(size)s MB; the limit is %(limit)s MB."),
            params={
                "size": round(size / 1048576, 1),
                "limit": round(settings.IOMSITE_IMAGE_MAX_BYTES / 1048576, 1),
            },
            code="too_big",
        )
    try:
        uploaded.seek(0)
        with PILImage.open(uploaded) as img:
            fmt = img.format
            width, height = img.size
            if fmt not in settings.IOMSITE_IMAGE_FORMATS:
                raise ValidationError(_("This file is not a JPEG, PNG, WebP or GIF image."), code="bad_format")
            if width * height > settings.IOMSITE_IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("This image is %(w)s × %(h)s pixels, more than the limit of %(limit)s megapixels."),
                    params={"w": width, "h": height, "limit": settings.IOMSITE_IMAGE_MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            img.verify()
        uploaded.seek(0)
        with PILImage.open(uploaded) as img:
            img.load()  # verify() does not decode pixel data; a truncated file fails here
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(_("This image is too large to process."), code="bomb") from None
    except Exception:
        raise ValidationError(_("This file is not a valid image (JPEG, PNG, WebP or GIF)."), code="invalid") from None
    finally:
        with contextlib.suppress(Exception):
            uploaded.seek(0)
    return fmt, width, height


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_CHARS = bytes(range(32, 127)) + b"\n\r\t\f\b" + bytes(range(128, 256))


def detect_document_type(uploaded):
    """Return our document type ('pdf', 'docx', …) decided by the bytes, or None."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        name = getattr(uploaded, "name", "").lower()
        return "xls" if name.endswith(".xls") else "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    if any(n.startswith("word/") for n in names):
                        return "docx"
                    if any(n.startswith("xl/") for n in names):
                        return "xlsx"
                    if any(n.startswith("ppt/") for n in names):
                        return "pptx"
                if "mimetype" in names:
                    mimetype = archive.read("mimetype")
                    if mimetype == b"application/vnd.oasis.opendocument.text":
                        return "odt"
                    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                        return "ods"
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        return None
    if head and b"\x00" not in head and not head.lstrip().startswith(b"<"):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        name = getattr(uploaded, "name", "").lower()
        return "csv" if name.endswith(".csv") else "txt"
    return None


def inspect_document(uploaded, allowed=None):
    check_file_name(getattr(uploaded, "name", ""))
    size = getattr(uploaded, "size", 0) or 0
    if size > settings.IOMSITE_DOCUMENT_MAX_BYTES:
        raise ValidationError(_("This file is larger than the limit."), code="too_big")
    if size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    kind = detect_document_type(uploaded)
    allowed = allowed or settings.IOMSITE_DOCUMENT_TYPES
    if kind not in allowed:
        names = ", ".join(t.upper() for t in allowed)
        raise ValidationError(
            _("This file's content is not one of the allowed types (%(types)s)."),
            params={"types": names},
            code="bad_type",
        )
    return kind


def validate_pdf(uploaded):
    return inspect_document(uploaded, allowed=("pdf",))


_SAFE_STEM = re.compile(r"[^a-z0-9-]+")


def safe_stem(name, default="file"):
    from django.utils.text import slugify

    stem = slugify(os.path.splitext(os.path.basename(name or ""))[0])[:60]
    return _SAFE_STEM.sub("-", stem).strip("-") or default


# ----------------------------------------------------------------------------- links

# A path on this site: "/" then no second "/" or "\" (browsers read "//host" and "/\host"
# as another site), no backslash, whitespace or control character anywhere.
SITE_PATH = re.compile(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*\Z")
TELEPHONE = re.compile(r"tel:\+?[0-9][0-9 ().-]{2,30}\Z")
MAILTO_QUERY = re.compile(r"[A-Za-z0-9=&%._~+-]*\Z")
_web_address = URLValidator(schemes=["http", "https"])
_email_address = EmailValidator()


def is_safe_link(value):
    """True for a site path, an http(s) address on a named host, a mailto: address or a tel: number.

    Anything else (``javascript:``, ``data:``, ``//host``, ``/\\host``, IP addresses however
    spelt, ``localhost``, user names in the address, control characters or a trailing newline)
    is refused. Templates render link fields through ``safe_link`` with the same rule.
    """
    if not isinstance(value, str) or not value or len(value) > 2000:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return False
    if value.startswith("/"):
        return bool(SITE_PATH.match(value))
    if value.startswith(("https://", "http://")):
        return _is_web_address(value)
    if value.startswith("mailto:"):
        address, _sep, query = value[len("mailto:") :].partition("?")
        try:
            _email_address(address)
        except ValidationError:
            return False
        return bool(MAILTO_QUERY.match(query))
    return bool(TELEPHONE.match(value))


def _is_web_address(value):
    try:
        _web_address(value)
    except ValidationError:
        return False
    parts = urlsplit(value)
    host = parts.hostname or ""
    if "@" in parts.netloc or not host or host == "localhost" or host.endswith(".localhost") or "." not in host:
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return False  # an IP address: editors link to sites by name, and the link checker must not probe hosts


def validate_link(value):
    if not is_safe_link(value):
        raise ValidationError(
            _("Enter a site path starting with / or a full address starting with https://."), code="invalid_link"
        )
