"""A visitor who follows every link: the test client walks the site from its front door.

It reads each HTML page as a browser would (``<a href>``, ``<link rel=canonical|alternate>``,
GET forms), follows every same-site address once, and records what it found: the
status of every address, the pages that link to each one, and for each listing its
"Next" link and the items it shows (the links in ``<main>`` outside navigation and
forms). Files (documents, images, feeds, calendars) are requested but not read.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings

HOST = "testserver"
HTML = "text/html"


def same_site(url):
    parts = urlsplit(url)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", HOST)


def local(url, base="/"):
    """The path and query of ``url`` (relative to ``base``), without the fragment."""
    parts = urlsplit(urljoin(f"http://{HOST}{base}", url))
    return urlunsplit(("", "", parts.path, parts.query, ""))


@dataclass
class Page:
    url: str
    status: int
    location: str = ""
    content_type: str = ""
    links: list = field(default_factory=list)  # every same-site address the page names
    items: set = field(default_factory=set)  # links and headings in <main> outside <nav> and <form>
    next_url: str = ""  # rel="next" of the pagination
    search_forms: list = field(default_factory=list)  # (action, field name) of role=search forms
    h1: str = ""  # the text of the page's first h1
    h1_lang: str = ""  # its lang attribute ("en" where a French or Spanish page falls back)
    fallback_note: str = ""  # "missing" or "partial": the page says its content is shown in English
    alternates: dict = field(default_factory=dict)  # hreflang: address of <link rel=alternate>
    canonical: str = ""


class PageParser(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links, self.items, self.next_url, self.search_forms = [], set(), "", []
        self.stack = []  # open elements that matter: main, nav, form
        self.form = None
        self.heading = None  # the text of the h2-h4 being read in the listing
        self.h1, self.h1_lang, self.fallback_note = None, "", ""
        self.alternates, self.canonical = {}, ""
        self.h1_done = False

    def in_listing(self):
        return "main" in self.stack and not {"nav", "form"} & set(self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("main", "nav", "form"):
            self.stack.append(tag)
        if tag in ("h2", "h3", "h4") and self.in_listing():
            self.heading = []
        if tag == "h1" and not self.h1_done:
            self.h1, self.h1_lang = [], attrs.get("lang") or ""
        if "language-fallback" in (attrs.get("class") or "").split():
            self.fallback_note = attrs.get("data-state") or "missing"
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.form = {"action": attrs.get("action") or self.url, "role": attrs.get("role"), "method": method}
        elif tag == "input" and self.form is not None and attrs.get("type") == "search":
            if self.form["method"] == "get" and self.form["role"] == "search":
                self.search_forms.append((local(self.form["action"], self.url), attrs.get("name")))
        elif tag == "a" and attrs.get("href") is not None:
            self.link(attrs["href"], in_listing=self.in_listing())
            if "next" in (attrs.get("rel") or "").split() and "nav" in self.stack:
                self.next_url = local(attrs["href"], self.url)
        elif tag == "link" and attrs.get("href") and {"canonical", "alternate"} & set((attrs.get("rel") or "").split()):
            self.link(attrs["href"])
            rel = (attrs.get("rel") or "").split()
            if "canonical" in rel:
                self.canonical = local(attrs["href"], self.url)
            elif attrs.get("hreflang"):
                self.alternates[attrs["hreflang"]] = local(attrs["href"], self.url)

    def handle_data(self, data):
        if self.heading is not None:
            self.heading.append(data)
        if self.h1 is not None and not self.h1_done:
            self.h1.append(data)

    def handle_endtag(self, tag):
        if tag == "h1" and self.h1 is not None and not self.h1_done:
            self.h1, self.h1_done = " ".join("".join(self.h1).split()), True
        if tag in ("h2", "h3", "h4") and self.heading is not None:
            self.items.add("heading: " + " ".join("".join(self.heading).split()))
            self.heading = None
        if tag in ("main", "nav", "form") and tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag == "form":
            self.form = None

    def link(self, href, in_listing=False):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "webcal:", "javascript:")):
            return
        if not same_site(urljoin(f"http://{HOST}{self.url}", href)):
            return
        target = local(href, self.url)
        self.links.append(target)
        if in_listing:
            self.items.add(target)


def skipped(url):
    """Addresses a visitor never reaches: the admin (staff only)."""
    return urlsplit(url).path.startswith("/" + settings.ADMIN_URL)


class Crawler:
    """Breadth-first over the site, each address once."""

    def __init__(self, client, search_words=(), max_pages=6000):
        self.client = client
        self.max_pages = max_pages
        self.unfinished = []  # addresses left when the walk stopped at max_pages
        self.search_words = search_words
        self.pages = {}
        self.linked_from = {}

    def crawl(self, *starts):
        queue = list(starts)
        seen = set(queue)
        while queue:
            if len(self.pages) >= self.max_pages:
                self.unfinished = queue
                break
            url = queue.pop(0)
            page = self.fetch(url)
            self.pages[url] = page
            for target in page.links + ([page.location] if page.location else []) + self.searches(page):
                if skipped(target):
                    continue
                self.linked_from.setdefault(target, url)
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return self.pages

    def fetch(self, url):
        response = self.client.get(url)
        content_type = response.get("Content-Type", "")
        page = Page(url=url, status=response.status_code, content_type=content_type)
        if response.status_code in (301, 302, 307, 308):
            page.location = local(response["Location"], url)
        elif response.status_code == 200 and content_type.startswith(HTML) and not response.streaming:
            parser = PageParser(url)
            parser.feed(response.content.decode())
            page.links, page.items, page.next_url = parser.links, parser.items, parser.next_url
            page.search_forms = parser.search_forms
            page.h1 = parser.h1 if parser.h1_done else ""
            page.h1_lang, page.fallback_note = parser.h1_lang, parser.fallback_note
            page.alternates, page.canonical = parser.alternates, parser.canonical
        if response.streaming:
            # Read to the end: the test client's wrapper then closes the file without the
            # request_finished handler that would close the database connection (and end
            # the test's transaction on PostgreSQL), as response.close() would.
            for _chunk in response.streaming_content:
                pass
        return page

    def searches(self, page):
        """A visitor types a common word into each search form (once per form address)."""
        targets = []
        for action, name in page.search_forms:
            for word in self.search_words:
                parts = urlsplit(action)
                query = urlencode([*parse_qsl(parts.query), (name, word)])
                targets.append(urlunsplit(("", "", parts.path, query, "")))
        return targets

    def final(self, url, limit=5):
        """The page a visitor lands on from ``url``, following redirects."""
        page = self.pages.get(url)
        while page is not None and page.location and limit:
            page, limit = self.pages.get(page.location), limit - 1
        return page
