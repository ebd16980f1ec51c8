"""Helpers for the newsletter tests: sign up, and read links out of the test outbox."""

import re

URL_RE = re.compile(r"https?://[^\s\"<>]+")


def sign_up(client, email="ana@example.org", language="en", topics=(), ip="203.0.113.5", page_language="en", **extra):
    data = {"email": email, "language": language, "topics": list(topics), "website": "", **extra}
    return client.post(f"/{page_language}/newsletter/", data, REMOTE_ADDR=ip)


def links(message):
    """Every URL in the plain-text body of ``message``."""
    return URL_RE.findall(message.body)


def link(message, kind):
    found = [url for url in links(message) if f"/newsletter/{kind}/" in url]
    assert len(found) == 1, (kind, links(message))
    return found[0]


def path_of(url):
    return url.removeprefix("http://testserver")
