"""``make_*`` helpers for the notices (the test-only content app)."""

from tests.iomsite.factories import live, unique
from tests.notices.models import Notice, NoticeLink


def make_notice(slug=None, published=True, **fields):
    slug = slug or unique("notice")
    defaults = live() if published else {"status": "draft"}
    defaults.update({"title": slug.replace("-", " ").title(), "body": "<p>A notice.</p>"})
    defaults.update(fields)
    return Notice.objects.create(slug=slug, **defaults)


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {
    Notice: lambda **state: make_notice(**state),
    NoticeLink: lambda **state: NoticeLink.objects.create(notice=make_notice(**state), url="https://example.org/"),
}
