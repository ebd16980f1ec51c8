"""Uploads through the admin: refused by content, safe names, no overwrite, disk full."""

import errno
import os
import struct
import tracemalloc
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from iomsite.models import Document, Image
from iomsite.storage import AtomicFileSystemStorage
from tests.iomsite.factories import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload_image(client, content, name="photo.png"):
    return client.post(
        "/admin/iomsite/image/add/",
        {"title": "Upload", "alt_text_en": "Something shown.", "file": SimpleUploadedFile(name, content)},
    )


def upload_document(client, content, name="report.pdf"):
    return client.post(
        "/admin/iomsite/document/add/",
        {"title": "Annual report", "language": "en", "file": SimpleUploadedFile(name, content)},
    )


def file_errors(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["adminform"].form.errors.get("file", []))


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _dirs, names in os.walk(root) for name in names
    )


def real_png_bomb(width=10_000, height=10_000):
    """A valid, fully decodable 1-bit PNG of 100 megapixels that weighs about 12 KB."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _row in range(height)) + compressor.flush()

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _proc_status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return None


def reset_peak_rss():
    """Reset the process's peak resident memory (Linux); return the current one, or None."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return None
    return _proc_status("VmRSS")


def peak_rss():
    return _proc_status("VmHWM")


def test_tiff_named_png_is_refused(staff_client, settings):
    errors = file_errors(upload_image(staff_client, png_bytes(fmt="TIFF"), "cover.png"))
    assert "not a JPEG, PNG, WebP or GIF" in errors
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_small_file_decoding_to_100_megapixels_is_refused_cheaply(staff_client, settings):
    bomb = real_png_bomb()
    assert len(bomb) < 16 * 1024
    with PILImage.open(BytesIO(bomb)) as img:
        assert img.size == (10_000, 10_000)  # a real image, not a broken header
    file_errors(upload_image(staff_client, b"not an image", "warm-up.png"))  # templates, translations
    rss_before = reset_peak_rss()
    tracemalloc.start()
    try:
        response = upload_image(staff_client, bomb, "small.png")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "megapixels" in file_errors(response)
    # Decoding needs 100 MB for the pixels alone. The request stayed within a few MB of
    # Python memory (tracemalloc) and of process memory (Pillow allocates outside Python).
    assert peak < 8 * 1024 * 1024, peak
    if rss_before is not None:
        assert peak_rss() - rss_before < 32 * 1024 * 1024
    assert not Image.objects.exists()


def jpeg_with_gps():
    exif = PILImage.Exif()
    exif[0x8825] = {1: "N", 2: (46.0, 12.0, 0.0), 3: "E", 4: (6.0, 8.0, 0.0)}
    exif[0x010F] = "CameraMaker"
    buffer = BytesIO()
    PILImage.new("RGB", (900, 600), "red").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_exif_location_is_not_in_what_visitors_get(staff_client, client):
    assert upload_image(staff_client, jpeg_with_gps(), "field-visit.jpg").status_code == 302
    image = Image.objects.get()
    for url, _width, _height in image.renditions():
        body = b"".join(client.get(url).streaming_content)
        with PILImage.open(BytesIO(body)) as img:
            exif = img.getexif()
            assert not exif.get_ifd(0x8825)
            assert 0x8825 not in exif


SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(document.cookie)</script></svg>"


def test_svg_is_refused_as_image_and_as_document(staff_client, settings):
    assert file_errors(upload_image(staff_client, SVG, "logo.svg"))
    assert file_errors(upload_image(staff_client, SVG, "logo.png"))
    assert file_errors(upload_document(staff_client, SVG, "logo.txt"))
    assert not Image.objects.exists() and not Document.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("name", [".htaccess", "report.pdf.html", "report.html.pdf", "shell.php.pdf"])
def test_dangerous_names_are_refused(staff_client, settings, name):
    assert "not allowed" in file_errors(upload_document(staff_client, pdf_bytes(), name))
    assert "not allowed" in file_errors(upload_image(staff_client, png_bytes(), name))
    assert not Image.objects.exists() and not Document.objects.exists()
    assert stored_files(settings) == []


def test_nul_bytes_in_names_never_reach_the_disk(staff_client, settings):
    response = upload_document(staff_client, pdf_bytes(), "report\x00.php.pdf")
    if response.status_code == 200:
        assert file_errors(response)  # refused
        assert not Document.objects.exists()
    else:  # Django's upload parser dropped the NUL: the name is made safe
        document = Document.objects.get()
        assert "\x00" not in document.file.name and "php" not in document.file.name
    assert all("\x00" not in name for name in stored_files(settings))
    with pytest.raises(SuspiciousFileOperation):
        AtomicFileSystemStorage(location=settings.MEDIA_ROOT).save("documents/evil\x00.pdf", ContentFile(b"x"))


def test_two_uploads_with_the_same_name_are_both_kept(staff_client, settings):
    first, second = pdf_bytes("first"), b"%PDF-1.4\n% the second one\n" + pdf_bytes()[9:]
    assert upload_document(staff_client, first, "report.pdf").status_code == 302
    assert upload_document(staff_client, second, "report.pdf").status_code == 302
    one, two = Document.objects.order_by("pk")
    assert one.file.name != two.file.name
    assert one.file.read() == first and two.file.read() == second
    assert len(stored_files(settings)) == 2


def test_storage_never_overwrites_even_when_the_name_check_races(settings, monkeypatch):
    storage = AtomicFileSystemStorage(location=settings.MEDIA_ROOT)
    first = storage.save("documents/report.pdf", ContentFile(b"first"))
    # Another process took the name between the existence check and the write.
    monkeypatch.setattr(storage, "exists", lambda name: False)
    second = storage.save("documents/report.pdf", ContentFile(b"second"))
    assert first != second
    assert storage.open(first).read() == b"first" and storage.open(second).read() == b"second"
    assert not [name for name in stored_files(settings) if ".upload-" in name]


@pytest.mark.parametrize("name", ["../outside.pdf", "/etc/cron.d/job", "documents/../../outside.pdf"])
def test_storage_stays_inside_the_media_folder(settings, name):
    storage = AtomicFileSystemStorage(location=settings.MEDIA_ROOT)
    with pytest.raises(SuspiciousFileOperation):
        storage.save(name, ContentFile(b"x"))


def test_storage_does_not_follow_a_link_out_of_the_media_folder(settings, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "documents").symlink_to(outside)
    storage = AtomicFileSystemStorage(location=settings.MEDIA_ROOT)
    with pytest.raises(SuspiciousFileOperation):
        storage.save("documents/report.pdf", ContentFile(b"x"))
    assert list(outside.iterdir()) == []


def disk_full_after(limit, monkeypatch, settings):
    """The disk holding the media folder accepts ``limit`` bytes, then is full.

    Only writes to files under MEDIA_ROOT fail: pytest and everything else keep writing.
    """
    real_write = os.write
    media = os.path.realpath(settings.MEDIA_ROOT)
    state = {"written": 0}

    def write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if not target.startswith(media + os.sep):
            return real_write(fd, data)
        if state["written"] >= limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        data = bytes(data[: limit - state["written"]])
        state["written"] += len(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("kind", ["image", "document"])
def test_disk_full_gives_a_clear_error_no_row_and_no_partial_file(staff_client, settings, monkeypatch, kind):
    content = png_bytes(size=(600, 400)) if kind == "image" else pdf_bytes()
    disk_full_after(len(content) // 2, monkeypatch, settings)
    upload = upload_image if kind == "image" else upload_document
    response = upload(staff_client, content, "report.png" if kind == "image" else "report.pdf")
    errors = file_errors(response)
    assert "could not be stored" in errors and "nothing was saved" in errors
    assert "Please correct the error below." in response.content.decode()
    assert not Image.objects.exists() and not Document.objects.exists()
    assert stored_files(settings) == []  # neither the partial temporary file nor a final one
    monkeypatch.undo()
    assert upload(staff_client, content, "report.png" if kind == "image" else "report.pdf").status_code == 302
    assert len(stored_files(settings)) == 1


def test_interrupted_write_leaves_nothing(settings, monkeypatch):
    storage = AtomicFileSystemStorage(location=settings.MEDIA_ROOT)
    disk_full_after(10, monkeypatch, settings)
    with pytest.raises(OSError) as raised:
        storage.save("documents/big.pdf", ContentFile(b"%PDF-" + b"x" * 5000))
    assert raised.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert stored_files(settings) == []


def test_storage_without_hard_links_still_never_overwrites(settings, monkeypatch):
    def no_links(source, target):
        raise OSError(errno.EPERM, "hard links not supported here")

    monkeypatch.setattr(os, "link", no_links)
    storage = AtomicFileSystemStorage(location=settings.MEDIA_ROOT)
    first = storage.save("documents/report.pdf", ContentFile(b"first"))
    monkeypatch.setattr(storage, "exists", lambda name: False)
    second = storage.save("documents/report.pdf", ContentFile(b"second"))
    assert first != second
    assert storage.open(first).read() == b"first" and storage.open(second).read() == b"second"
    assert len(stored_files(settings)) == 2
