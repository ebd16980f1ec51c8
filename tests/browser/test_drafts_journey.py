"""The journey of issue 17 in Chromium: edit a live publication → preview → submit → approve → live."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from iomsite.workflow.roles import EDITOR
from publications.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "Draftjourney: the 2018 edition, revised"


def visitor_text(browser, live_server, path):
    visitor = browser.new_context(base_url=live_server.url)
    try:
        page = visitor.new_page()
        page.goto(path)
        return page.content()
    finally:
        visitor.close()


def test_edit_live_preview_submit_approve_live(admin_page, browser, live_server, django_user_model):
    report = Publication.objects.published().order_by("-year", "pk").first()
    assert report is not None
    url = report.get_absolute_url()
    editor = django_user_model.objects.create_user("edna", "edna@example.org", "an-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill("an-editor-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    # The editor changes the live report: a draft, the banner says so, visitors see the live version.
    page.goto(f"/admin/publications/publication/{report.pk}/change/")
    expect(page.locator("#workflow-draft")).to_contain_text("Live")
    page.get_by_label("Summary [en]").fill(WORDS)
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("saved as a draft")
    expect(page.locator("#workflow-draft")).to_contain_text("Live + draft changes")
    assert WORDS not in visitor_text(browser, live_server, url)

    # Preview in a new tab: the public page with the draft, and the draft banner.
    with context.expect_page() as new_tab:
        page.get_by_role("link", name="Preview the draft").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("status").first).to_contain_text("Preview of the draft")
    expect(preview.locator("main")).to_contain_text(WORDS)
    preview.close()

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Submitted for review")
    context.close()

    # A publisher finds it on the dashboard and publishes it.
    admin_page.goto("/admin/")
    review = admin_page.locator("#review")
    review.get_by_role("link", name=str(report)).click()
    expect(admin_page.locator("#workflow-draft")).to_contain_text("In review")
    admin_page.get_by_role("button", name="Publish changes").click()
    expect(admin_page.locator(".messagelist .success").first).to_be_visible()
    assert WORDS in visitor_text(browser, live_server, url)
    report.refresh_from_db()
    assert report.summary == WORDS and report.is_live
    assert re.search("Published the draft of", admin_page.goto("/admin/workflow/activity/").text())
