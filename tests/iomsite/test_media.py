import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from iomsite.models import Document, Image
from tests.iomsite.factories import make_document, make_image, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload_image(client, content, name="photo.png"):
    return client.post(
        "/admin/iomsite/image/add/",
        {
            "title": "Upload",
            "alt_text_en": "Something shown.",
            "file": SimpleUploadedFile(name, content),
        },
    )


def png_header_bomb(width=10_000, height=10_000):
    """A tiny PNG that claims a huge canvas (decompression bomb)."""
    raw = zlib.compress(b"\x00" * 1000)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_admin_upload_of_real_image_works(staff_client):
    response = upload_image(staff_client, png_bytes())
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (800, 600, "PNG")
    assert image.file.name.endswith(".png")


@pytest.mark.parametrize(
    "content, name",
    [
        (b"not an image at all", "photo.png"),
        (png_bytes(fmt="TIFF"), "cover.png"),
        (png_bytes()[:200], "truncated.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.svg"),
    ],
)
def test_admin_refuses_what_is_not_an_allowed_image(staff_client, content, name):
    response = upload_image(staff_client, content, name)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not Image.objects.exists()


def test_decompression_bomb_refused_with_clear_error(staff_client):
    response = upload_image(staff_client, png_header_bomb(), "small.png")
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert "megapixels" in errors or "too large" in errors
    assert not Image.objects.exists()


def test_image_over_byte_limit_refused(staff_client, settings):
    settings.IOMSITE_IMAGE_MAX_BYTES = 1000
    response = upload_image(staff_client, png_bytes(size=(400, 400), color=(1, 2, 3)))
    assert response.status_code == 200
    assert "limit" in " ".join(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


def test_renditions_made_on_demand_as_webp_and_cached(client):
    image = make_image(size=(1000, 500))
    urls = image.renditions()
    assert [w for _u, w, _h in urls] == [320, 640, 960, 1000]
    url, width, height = urls[1]
    assert (width, height) == (640, 320)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    with PILImage.open(BytesIO(body)) as img:
        assert img.format == "WEBP"
        assert img.size == (640, 320)
    assert client.get(url).status_code == 200  # served from storage the second time


def test_renditions_strip_exif_location(client):
    buffer = BytesIO()
    exif = PILImage.Exif()
    exif[0x8825] = {1: "N", 2: (46.0, 12.0, 0.0)}  # GPS IFD
    exif[0x010F] = "CameraMaker"
    PILImage.new("RGB", (700, 400), "red").save(buffer, "JPEG", exif=exif)
    image = Image(title="gps", alt_text="Red.")
    from django.core.files.base import ContentFile

    image.file = ContentFile(buffer.getvalue(), name="gps.jpg")
    image.save()
    body = b"".join(client.get(image.renditions()[0][0]).streaming_content)
    with PILImage.open(BytesIO(body)) as img:
        assert not img.getexif()


def test_unknown_rendition_width_is_404(client):
    image = make_image(size=(1000, 500))
    assert client.get(f"/media/renditions/{image.pk}/{image.version}-333.webp").status_code == 404
    assert client.get(f"/media/renditions/{image.pk}/00000000-320.webp").status_code == 404


def test_image_tag_writes_srcset_width_height_alt():
    from django.template import Context, Template

    image = make_image(size=(1000, 500), alt_text="Bar chart of remittances.")
    html = Template("{% load iomsite %}{% image img sizes='50vw' %}").render(Context({"img": image}))
    assert 'srcset="' in html and " 320w" in html and " 1000w" in html
    assert 'width="1000" height="500"' in html
    assert 'alt="Bar chart of remittances."' in html
    assert 'loading="lazy"' in html


def test_document_type_decided_by_content_not_name():
    document = make_document(content=pdf_bytes(), name="notes.txt")
    assert document.kind == "pdf"
    with pytest.raises(ValidationError):
        make_document(content=b"MZ\x90\x00 executable", name="report.pdf")


@pytest.mark.parametrize("name", ["report.pdf.html", ".htaccess", "evil\x00.pdf", "x.svg"])
def test_dangerous_document_names_refused(name):
    document = Document(title="x")
    document.file = SimpleUploadedFile(name, pdf_bytes())
    with pytest.raises(ValidationError):
        document.full_clean()


def test_document_download_headers(client):
    document = make_document(title="World Migration Report 2018", standalone=True)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="world-migration-report-2018.pdf"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) == document.file_size
    assert body.startswith(b"%PDF-")


def test_document_download_with_wrong_name_is_404(client):
    document = make_document()
    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404


@pytest.mark.parametrize(
    "path", ["/media/../../etc/passwd", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/images/nope.png"]
)
def test_media_traversal_is_404(client, path):
    assert client.get(path).status_code == 404
