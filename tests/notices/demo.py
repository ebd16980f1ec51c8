"""Demo and benchmark content of the notices (the seam calls these, the core never names them)."""

from iomsite.demo import publish_fields
from iomsite.generate import PREFIX, bulk_create, counted, first_generated, generated_slugs, publishing
from tests.notices.models import Notice

BASE = 10  # notices at scale 1


def load(stdout):
    Notice.objects.update_or_create(
        slug="office-hours",
        defaults={"title": "Office hours", "body": "<p>Open every weekday.</p>", **publish_fields()},
    )
    stdout.write(f"  notices: {Notice.objects.count()} notices")


def generate(context):
    existing = generated_slugs(Notice.objects.all())
    notices = [
        Notice(slug=slug, title=f"Generated notice {index + 1}", body="<p>Generated.</p>", **publishing(index))
        for index in range(counted(BASE, context.scale))
        if (slug := f"{PREFIX}notice-{index + 1}") not in existing
    ]
    bulk_create(Notice, notices)
    return {"notices": len(notices)}


def bench_pages():
    notice = first_generated(Notice.objects.published().filter(slug__startswith=PREFIX), "notice")
    return [("notice", notice.get_absolute_url())]
