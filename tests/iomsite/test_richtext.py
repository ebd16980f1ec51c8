import pytest

from iomsite.richtext import html_to_text, sanitize_html
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>Hi<script>alert(1)</script></p>", "<script"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<iframe src="https://evil.example"></iframe><p>x</p>', "<iframe"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ('<p style="background:url(x)">x</p>', "style="),
        ("<svg><script>1</script></svg>", "<svg"),
    ],
)
def test_dangerous_markup_is_stripped_on_save(dirty, forbidden):
    page = make_page("dirty", body=dirty)
    page.refresh_from_db()
    assert forbidden not in page.body


def test_allowed_markup_survives():
    body = (
        "<h2>Heading</h2><p><strong>bold</strong> <em>it</em> "
        '<a href="https://example.org/x">link</a></p><ul><li>a</li></ul>'
        "<table><tbody><tr><td>cell</td></tr></tbody></table>"
    )
    cleaned = sanitize_html(body)
    for fragment in ("<h2>", "<strong>", "<em>", 'href="https://example.org/x"', "<ul>", "<td>"):
        assert fragment in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_empty_editor_document_is_stored_empty():
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html("<p><br></p>") == ""


def test_plain_text_excerpt_stored_at_save_even_for_broken_markup(client):
    page = make_page("broken", body="<a" * 5000)
    page.refresh_from_db()
    assert "<" not in page.body_text
    assert client.get("/en/broken/").status_code == 200


def test_html_to_text_spacing():
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One Two & three"
