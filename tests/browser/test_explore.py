"""Editor journeys through the Explore view and the rich-text link chooser, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from iomsite.models import Page
from publications.models import Publication, TocEntry
from themes.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def node(page, obj):
    return page.locator(f"#node-{obj._meta.app_label}-{obj._meta.model_name}-{obj.pk}")


def test_explore_to_a_chapter_with_mouse_and_keyboard(admin_page):
    page = admin_page
    report = Publication.objects.get(slug="world-migration-report-2018")
    part = TocEntry.objects.get(publication=report, slug="part-1")
    chapter = TocEntry.objects.get(publication=report, slug="migration-and-migrants-global-overview")

    page.get_by_role("link", name="Explore the whole site").click()
    page.wait_for_url("**/admin/explore/")
    section = page.locator("#node-app-publications")
    section.locator(".explorer-toggle").first.click()  # opened in place, no page load
    expect(node(page, report)).to_be_visible()
    expect(node(page, report).locator(".state-badge").first).to_have_text("Live")
    assert "open=app%3Apublications" in page.url  # a reload shows the same tree

    # The keyboard: onto the report's title, Right opens it, Down moves to its first entry.
    title = node(page, report).locator(".explorer-title").first
    title.focus()
    title.press("ArrowRight")
    expect(node(page, part)).to_be_visible()
    node(page, part).locator(".explorer-title").first.focus()
    page.keyboard.press("ArrowRight")
    expect(node(page, chapter)).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(node(page, chapter).locator(".explorer-title").first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/publications/tocentry/{chapter.pk}/change/")
    expect(page.locator("#id_title_en")).to_have_value(chapter.title_en)


def test_link_a_theme_by_the_chooser_move_it_and_it_still_works_in_three_languages(admin_page, browser, live_server):
    page = admin_page
    contact = Page.objects.get(slug="contact-us")
    theme = Theme.objects.get(slug="ethical-recruitment")
    new_parent = Theme.objects.get(slug="migration-policy")

    page.goto(f"/admin/iomsite/page/{contact.pk}/change/")
    editor = page.locator(".prose-editor").filter(has=page.locator("[contenteditable]")).first
    body = editor.locator("[contenteditable]").first
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" See also: ")
    editor.get_by_title("Link to site content").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(re.compile("Find a page")).fill("Ethical recruitment")
    dialog.locator(f'button[data-ref="themes.theme:{theme.pk}"]').click()
    expect(dialog).to_be_hidden()
    expect(body.locator("a[data-ref]")).to_have_text(theme.title_en)
    # The item is live: the change is a draft until published (decision 016); this user publishes.
    page.get_by_role("button", name="Publish changes").first.click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    contact.refresh_from_db()
    assert f'data-ref="themes.theme:{theme.pk}"' in contact.body_en

    theme.parent = new_parent  # the theme moves to another section of the tree
    theme.save()
    visitor = browser.new_context(base_url=live_server.url)
    try:
        tab = visitor.new_page()
        for language in ("en", "fr", "es"):
            tab.goto(f"/{language}/contact-us/")
            tab.locator("main a[data-ref]").first.click()
            tab.wait_for_url(f"**/{language}/themes/migration-policy/ethical-recruitment/")
            expect(tab.get_by_role("heading", level=1)).to_be_visible()
    finally:
        visitor.close()


def test_reorder_chapters_on_the_publication_form(admin_page):
    page = admin_page
    report = Publication.objects.get(slug="world-migration-report-2018")
    part = TocEntry.objects.get(publication=report, slug="part-1")
    first, second, third = part.get_children()

    page.goto("/admin/explore/?open=app:publications")
    node(page, report).locator(".explorer-title").first.click()  # the publication's form
    page.wait_for_url(f"**/admin/publications/publication/{report.pk}/change/")
    table = page.locator("fieldset.toc-inline")

    def row(entry):
        return table.locator("tr.form-row", has=page.locator(f'input[name$="-id"][value="{entry.pk}"]'))

    # The keyboard way: the second chapter moves up, before the first.
    row(second).get_by_role("button", name="Move up").click()
    expect(row(second).get_by_role("button", name="Move up")).to_be_focused()
    # The mouse way: the third chapter is dragged above the (now second) first chapter.
    row(third).locator(".toc-handle").drag_to(row(first).locator(".toc-handle"), target_position={"x": 2, "y": 1})
    # The item is live: the change is a draft until published (decision 016); this user publishes.
    page.get_by_role("button", name="Publish changes").first.click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert [entry.slug for entry in TocEntry.objects.get(pk=part.pk).get_children()] == [
        second.slug,
        third.slug,
        first.slug,
    ]
    # The reader's order follows: the part's first chapter is now the one that was second.
    page.goto(part.get_children()[0].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(second.title_en)


def test_language_tabs_group_the_translated_fields(admin_page):
    page = admin_page
    theme = Theme.objects.get(slug="ethical-recruitment")
    page.goto(f"/admin/themes/theme/{theme.pk}/change/")
    tabs = page.get_by_role("tablist")
    english = tabs.get_by_role("tab", name=re.compile("^English"))
    french = tabs.get_by_role("tab", name=re.compile("^(French|Français)"))
    expect(english).to_have_attribute("aria-selected", "true")  # English first
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_title_fr")).to_be_hidden()
    expect(page.get_by_label("Slug")).to_be_visible()  # untranslated fields stay on every tab
    french.click()
    expect(page.locator("#id_title_fr")).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_hidden()
    page.locator("#id_title_fr").fill("")
    expect(french).to_contain_text("missing")
    french.press("ArrowRight")  # the keyboard moves between tabs
    expect(tabs.get_by_role("tab", name=re.compile("^(Spanish|Español)"))).to_be_focused()
    tabs.get_by_role("tab", name="All languages").click()
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_title_fr")).to_be_visible()
