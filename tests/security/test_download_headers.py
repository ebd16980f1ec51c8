"""Files Django serves (documents, media under `make run`, renditions) are never a page of the site.

They carry ``default-src 'none'; sandbox`` (plus what a browser needs to show a lone image),
not the site's policy, so an uploaded file that a browser takes for HTML or SVG could run
no script and reach nothing in the site's origin, even opened inline.
"""

import pytest

from tests.factories import make_document, make_image

pytestmark = pytest.mark.django_db

POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def policy_of(response):
    return "; ".join(sorted(part.strip() for part in response["Content-Security-Policy"].split(";")))


def assert_download_headers(response):
    assert response.status_code == 200
    assert policy_of(response) == "; ".join(sorted(part.strip() for part in POLICY.split(";")))
    assert "script-src" not in response["Content-Security-Policy"]
    assert "report-uri" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "attachment"),
    [
        ("report.pdf", None, False),
        ("notes.txt", b"Plain notes, not <html>.\n", True),
        ("figures.csv", b"a,b\n1,2\n", True),
    ],
)
def test_document_downloads_are_sandboxed(staff_client, name, content, attachment):
    document = make_document(name=name, content=content)
    response = staff_client.get(document.get_absolute_url())
    assert_download_headers(response)
    assert response["Content-Disposition"].startswith("attachment" if attachment else "inline")
    b"".join(response.streaming_content)


def test_originals_are_not_served_under_media(client):
    image = make_image()
    response = client.get(f"/media/{image.file.name}")  # only renditions and the document view (decision 017)
    assert response.status_code == 404


def test_renditions_are_sandboxed(client):
    image = make_image()
    response = client.get(image.renditions()[0][0])
    assert_download_headers(response)
    assert response["Content-Type"] == "image/webp"


def test_pages_keep_the_site_policy(client):
    assert "script-src 'self'" in client.get("/en/")["Content-Security-Policy"]
