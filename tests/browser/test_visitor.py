"""Visitor journeys, clicked through in Chromium as a person would."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from iomsite.models import Document
from iomsite.newsletter.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK_RE = re.compile(r"https?://\S+/newsletter/confirm/\S+/")


def test_from_home_to_a_theme_its_resources_a_publication_chapters_and_a_download(page, demo):
    page.goto("/en/")
    themes = page.get_by_role("region", name="Themes")
    themes.get_by_role("link", name="Migration Policy").click()
    page.wait_for_url("**/en/themes/migration-policy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Migration Policy")

    tabs = page.get_by_role("navigation", name="Sections of this theme")
    expect(tabs.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    tabs.get_by_role("link", name="Resources").click()
    page.wait_for_url("**/en/themes/migration-policy/resources/")
    expect(tabs.get_by_role("link", name="Resources")).to_have_attribute("aria-current", "page")

    page.get_by_role("main").get_by_role("link", name="World Migration Report 2018", exact=True).click()
    page.wait_for_url("**/en/publications/world-migration-report-2018/")
    expect(page.get_by_role("heading", level=1)).to_have_text("World Migration Report 2018")
    contents = page.get_by_role("region", name="Table of contents")
    contents.get_by_role("link", name=re.compile(r"^Chapter 2 ")).click()
    page.wait_for_url("**/world-migration-report-2018/migration-and-migrants-global-overview/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chapter 2")

    page.get_by_role("navigation", name="Chapters").get_by_role("link", name=re.compile("^Next")).click()
    page.wait_for_url("**/world-migration-report-2018/migration-and-migrants-regional-dimensions/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chapter 3")

    download = page.get_by_role("link", name="Download this chapter")
    size_shown = page.locator(".download-whole .file-meta").inner_text()
    with page.expect_response(lambda response: "/documents/" in response.url) as response_info:
        download.click()
    response = response_info.value
    headers = response.all_headers()
    assert response.status == 200
    assert headers["content-type"] == "application/pdf"
    assert re.search(r'filename="world-migration-report-2018-chapter-3\.pdf"', headers["content-disposition"])
    assert headers["x-content-type-options"] == "nosniff"
    assert "PDF" in size_shown, size_shown
    document = Document.objects.get(pk=re.search(r"/documents/(\d+)/", response.url).group(1))
    assert int(headers["content-length"]) == document.file_size
    # Chromium shows the PDF in its viewer (the body it reports is the viewer's page): fetch the bytes.
    assert page.request.get(response.url).body().startswith(b"%PDF-")


def test_switch_language_to_french_and_back(page, demo):
    page.goto("/en/regions/americas/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Americas and the Caribbean")
    languages = page.get_by_role("navigation", name="Language")
    expect(languages.locator("a[aria-current]")).to_have_text(re.compile("^EN"))

    languages.get_by_role("link", name="FR Français").click()  # each language named in itself
    page.wait_for_url("**/fr/regions/americas/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # The content and the interface are in French now.
    expect(page.get_by_role("heading", level=1)).to_have_text("Amériques et Caraïbes")
    expect(page.locator(".skip-link")).to_have_text("Aller au contenu principal")
    languages = page.get_by_role("navigation", name="Langue")
    expect(languages.locator("a[aria-current]")).to_have_text(re.compile("^FR"))
    # Links stay in French as the visitor moves on.
    assert page.get_by_role("link", name="Amériques et Caraïbes").first.get_attribute("href").startswith("/fr/")

    languages.get_by_role("link", name="EN English").click()
    page.wait_for_url("**/en/regions/americas/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Americas and the Caribbean")
    expect(page.locator(".skip-link")).to_have_text("Skip to main content")


def test_search_with_an_advanced_filter(page, demo):
    page.goto("/en/")
    page.get_by_role("search").get_by_label("Search the site").fill("contact")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/search/?q=contact*")
    results = page.locator(".search-results > li")
    expect(results.first).to_be_visible()
    everything = results.count()
    assert everything >= 1

    # Advanced options: the disclosure opens with the keyboard, a filter narrows the results.
    advanced = page.locator("details.advanced")
    if advanced.get_attribute("open") is None:
        page.locator("details.advanced > summary").focus()
        page.keyboard.press("Enter")
    expect(page.get_by_label("Type")).to_be_visible()
    page.get_by_label("Type").select_option("page")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"type=page"))
    expect(page.get_by_label("Type")).to_have_value("page")
    kinds = page.locator(".search-results .kind").all_inner_texts()
    assert kinds and set(kinds) == {"Page"}, kinds
    page.locator(".search-results h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlparse(page.url).path.startswith("/en/")


def result_titles(page, selector):
    return [title.strip() for title in page.locator(selector).all_inner_texts()]


def result_links(page, selector):
    """The addresses of the results (titles may repeat: three consultations share one)."""
    return [link.get_attribute("href") for link in page.locator(selector).all()]


def test_search_then_next_then_a_result(page, demo):
    page.goto("/en/")
    page.get_by_role("search").get_by_label("Search the site").fill("migration")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/search/?q=migration")
    first = result_links(page, ".search-results h3 a")
    assert len(first) == 20

    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    page.wait_for_url("**/en/search/?q=migration&page=2")
    expect(page.get_by_role("searchbox", name="Search for")).to_have_value("migration")
    expect(page.get_by_role("navigation", name="Pagination").locator("[aria-current=page]")).to_have_text("2")
    second = result_links(page, ".search-results h3 a")
    assert second and not set(second) & set(first), (first, second)

    result = page.locator(".search-results h3 a").first
    href = result.get_attribute("href")
    result.click()
    page.wait_for_url(f"**{href}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_series_then_next_then_an_event(page, demo):
    page.goto("/en/consultations/")
    page.get_by_role("main").get_by_role("link", name="Migration Research Seminars").first.click()
    page.wait_for_url("**/en/consultations/migration-research-seminars/")
    first = result_titles(page, "main table a")
    assert len(first) == 20

    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    page.wait_for_url("**/en/consultations/migration-research-seminars/?page=2")
    second = result_titles(page, "main table a")
    assert second and not set(second) & set(first), (first, second)

    page.get_by_role("main").get_by_role("link", name=second[-1], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second[-1])
    assert "/en/consultations/migration-research-seminars/" in page.url


def test_publications_filter_then_next(page, demo):
    page.goto("/en/publications/")
    page.get_by_label("Theme").select_option(label="Migration Policy")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/en/publications/\?.*theme=migration-policy"))
    first = result_titles(page, "main article h2 a, main article h3 a")
    assert len(first) == 12

    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"theme=migration-policy.*page=2|page=2.*theme=migration-policy"))
    expect(page.get_by_label("Theme")).to_have_value("migration-policy")
    second = result_titles(page, "main article h2 a, main article h3 a")
    assert second and not set(second) & set(first), (first, second)
    assert page.url.count("theme=") == 1 and page.url.count("?") == 1

    page.get_by_role("main").get_by_role("link", name=second[0], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second[0])


def test_subscribe_to_the_newsletter_and_confirm_from_the_email(page, demo):
    page.goto("/en/")
    home_form = page.locator("form.newsletter-quick")
    home_form.get_by_label("E-mail address").fill("ana@example.org")
    home_form.get_by_role("button", name="Subscribe").click()

    # The full form, prefilled with the address typed on the home page.
    page.wait_for_url("**/en/newsletter/?email=*")
    expect(page.get_by_label("E-mail address")).to_have_value("ana@example.org")
    page.get_by_label("Français").check()
    page.get_by_role("main").get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    subscriber = Subscriber.objects.get(email="ana@example.org")
    assert subscriber.status == Subscriber.Status.PENDING

    link = LINK_RE.search(message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
