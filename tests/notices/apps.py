"""A content type that exists only in the tests: the proof that the seam is the whole wiring.

Nothing in ``iomsite`` names it; ``tests/settings.py`` installs it for the test run. It
gets its pages, publishing and preview, sections, roles, page-cache invalidation,
sitemap, search, redirects, demo content and benchmark content from this declaration
alone (``tests/notices/test_seam.py``). It has no home block, so the home page's query
budget is the site's own.
"""

from django.utils.translation import gettext_lazy as _

from iomsite.content import Content, ContentAppConfig, Search


class NoticesConfig(ContentAppConfig):
    name = "tests.notices"
    label = "notices"
    verbose_name = _("Notices")
    default_auto_field = "django.db.models.BigAutoField"
    url_prefix = "notices"
    title = "Notices"
    content = (
        Content("Notice", sections={"region": "region"}, search=Search("notice", "Notice")),
        Content("NoticeLink", part_of="notice"),
    )
    sitemaps = {"notices": "tests.notices.sitemaps.NoticeSitemap"}
    order = 60
    demo = "tests.notices.demo.load"
    generate = "tests.notices.demo.generate"
    bench = "tests.notices.demo.bench_pages"
