"""Editor journeys in the Django admin, clicked through in Chromium."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect

from consultations.models import ConsultationEvent
from iomsite.models import Image, Redirect, Status
from themes.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREVIEW_BANNER = "Preview: visitors cannot see this page until it is published."


def anonymous_status(browser, live_server, path):
    """What a visitor (a fresh context, no admin session) gets at ``path``."""
    visitor = browser.new_context(base_url=live_server.url)
    try:
        response = visitor.new_page().goto(path)
        return response.status
    finally:
        visitor.close()


def test_add_a_child_topic_as_draft_preview_publish_and_move_it_by_drag_and_drop(
    admin_page, context, browser, live_server
):
    page = admin_page
    labour = Theme.objects.get(slug="labour-migration")
    policy = Theme.objects.get(slug="migration-policy")
    policy_advice = Theme.objects.get(slug="policy-advice")

    # Add a child topic under Labour Migration; it starts as a draft.
    page.goto("/admin/themes/theme/")
    page.get_by_role("link", name=re.compile("Add theme", re.I)).click()
    page.wait_for_url("**/admin/themes/theme/add/")
    # The slug is filled in by a script at the end of the form: type once it has run, not after a pause.
    page.wait_for_load_state("domcontentloaded")
    fields = page.locator("form fieldset").first  # the theme's own fields, above the inlines
    fields.get_by_label("Title [en]").press_sequentially("Skills Mobility Partnerships")
    expect(fields.get_by_label("Slug")).to_have_value("skills-mobility-partnerships")  # filled in as you type
    fields.get_by_label("Parent").select_option(label="Labour Migration")
    fields.get_by_label("Summary [en]").fill("Countries of origin and destination training workers together.")
    expect(page.get_by_label("Status")).to_have_value(Status.DRAFT)
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    topic = Theme.objects.get(slug="skills-mobility-partnerships")
    assert topic.parent_id == labour.pk and topic.status == Status.DRAFT
    url = topic.get_absolute_url()
    assert url == "/en/themes/labour-migration/skills-mobility-partnerships/"
    assert anonymous_status(browser, live_server, url) == 404

    # Preview from the tree: a new tab with the banner.
    page.goto("/admin/themes/theme/")
    page.get_by_role("link", name="Expand tree").click()
    row = page.locator("#result_list tr", has=page.get_by_role("link", name="Skills Mobility Partnerships"))
    expect(row.locator(".state-badge")).to_have_text("Draft")
    with context.expect_page() as new_tab:
        row.get_by_role("link", name="Preview").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    assert preview.url.endswith(url)
    expect(preview.get_by_role("status")).to_have_text(PREVIEW_BANNER)
    expect(preview.get_by_role("heading", level=1)).to_have_text("Skills Mobility Partnerships")
    preview.close()

    # Publish it from its change form.
    page.get_by_role("link", name="Skills Mobility Partnerships").click()
    page.get_by_role("button", name="Save and publish now").first.click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    topic.refresh_from_db()
    assert topic.is_live

    # A visitor sees it, on its own page and among the topics of Labour Migration.
    visitor = browser.new_context(base_url=live_server.url)
    visit = visitor.new_page()
    visit.goto(url)
    expect(visit.get_by_role("heading", level=1)).to_have_text("Skills Mobility Partnerships")
    expect(visit.get_by_role("status")).to_have_count(0)
    visit.goto(labour.get_absolute_url())
    expect(visit.get_by_role("article").get_by_role("link", name="Skills Mobility Partnerships")).to_be_visible()
    side_nav = visit.locator("nav.side-nav")
    expect(side_nav.get_by_role("link", name="Skills Mobility Partnerships")).to_be_visible()

    # Move it under Migration Policy, before Policy Advice, with the mouse.
    # A tall window: the translations column makes rows taller, and both rows must be on screen to drag.
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto("/admin/themes/theme/")
    page.get_by_role("link", name="Expand tree").click()
    source = page.locator("#result_list tr", has=page.get_by_role("link", name="Skills Mobility Partnerships"))
    target = page.locator("#result_list tr", has=page.get_by_role("link", name="Policy Advice", exact=True))
    handle = source.locator(".drag-handle").bounding_box()
    box = target.bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    # The top third of a row means "before this row".
    page.mouse.move(box["x"] + 200, box["y"] + box["height"] / 6, steps=12)
    expect(page.locator("#drag-line span")).to_have_text("move node before node")
    with page.expect_navigation():  # the admin saves the move, then reloads the tree
        page.mouse.up()
    topic.refresh_from_db()
    policy_advice.refresh_from_db()
    assert topic.parent_id == policy.pk
    assert topic.get_next_sibling() == policy_advice
    new_url = "/en/themes/migration-policy/skills-mobility-partnerships/"
    assert topic.get_absolute_url() == new_url

    # Visitors following the old address land on the new one.
    assert Redirect.objects.filter(object_id=topic.pk, content_type__model="theme").exists()
    visit.goto(url)
    assert visit.url.endswith(new_url)
    visitor.close()


def png_file(width=1200, height=675):
    picture = PILImage.new("RGB", (width, height), (0, 51, 160))
    drawing = ImageDraw.Draw(picture)
    drawing.rectangle((60, 60, width - 60, height - 60), outline=(255, 191, 71), width=12)
    drawing.text((100, 100), "Remittances 2017: 613 billion US dollars", fill=(255, 255, 255))
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return {"name": "remittances-2017.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_upload_an_image_with_alt_text_and_use_it_as_an_infographic(admin_page, browser, live_server):
    page = admin_page
    alt = "Bar chart: remittances to low and middle income countries reached 466 billion dollars in 2017."

    page.goto("/admin/iomsite/image/add/")
    page.get_by_label("Title").fill("Remittances 2017")
    page.get_by_label("File").set_input_files(png_file())
    # An image may be uploaded before its alternative text is written (decision 017); no page may
    # use it until it has one (tests/media/test_upload.py). Here the editor writes it at once.
    page.get_by_label("Alternative text [en]").fill(alt)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    image = Image.objects.get(title="Remittances 2017")
    assert (image.width, image.height) == (1200, 675) and image.alt_text == alt

    # Use it as an infographic of Labour Migration, chosen in the autocomplete box.
    theme = Theme.objects.get(slug="labour-migration")
    page.goto(f"/admin/themes/theme/{theme.pk}/change/")
    group = page.locator("#infographics-group")
    group.locator("h2, summary").first.click()  # the inline is collapsed
    group.locator(".add-row a").click()  # "Add another Infographic"
    form = group.locator(".inline-related:not(.empty-form)").last
    form.get_by_label("Order").fill("9")
    form.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Remittances")
    page.locator(".select2-results__option", has_text="Remittances 2017").click()
    # The theme is live: the new infographic is a draft until published (decision 016).
    page.get_by_role("button", name="Publish changes").first.click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert theme.infographics.filter(image=image).exists()

    visitor = browser.new_context(base_url=live_server.url)
    visit = visitor.new_page()
    visit.goto(theme.get_absolute_url())
    picture = visit.get_by_role("img", name=alt)
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    assert picture.get_attribute("loading") == "lazy"
    # The lazy image loads once on screen: a WebP rendition made from the upload.
    visit.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    assert re.search(r"/media/renditions/\d+/\w+-\d+\.webp$", picture.evaluate("img => img.currentSrc"))
    visitor.close()


def test_schedule_a_consultation_event_hidden_until_its_time(admin_page, browser, live_server):
    """Scheduled in the admin for next month; time passes (publish_at moved into the past through
    the ORM, the way the clock would move it: no save signal, nothing else changes); then visible.

    We move the data rather than the clock: time_machine in the live server's thread would also
    age the admin session, the CSRF cookie and the login limits of the browser driving the test.
    """
    page = admin_page
    when = timezone.localtime() + timedelta(days=30)

    page.goto("/admin/consultations/consultationevent/add/")
    page.get_by_label("Series").select_option(label="IOM-NGO Humanitarian Consultations")
    page.get_by_label("Title [en]").press_sequentially("IOM-NGO Humanitarian Consultation 2027")
    expect(page.get_by_label("Slug")).to_have_value("iom-ngo-humanitarian-consultation-2027")
    page.get_by_label("Date:", exact=True).fill("2027-06-20")
    page.get_by_label("City [en]").fill("Geneva")
    page.locator("#id_publish_at_0").fill(when.date().isoformat())
    page.locator("#id_publish_at_1").fill("09:00:00")
    page.get_by_role("button", name="Save and schedule").first.click()
    expect(page.locator(".messagelist .success").first).to_be_visible()

    event = ConsultationEvent.objects.get(slug="iom-ngo-humanitarian-consultation-2027")
    assert event.publication_state == "scheduled"
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Consultation events").click()
    row = page.locator("#result_list tr", has=page.get_by_role("link", name="IOM-NGO Humanitarian Consultation 2027"))
    expect(row.locator(".state-badge")).to_have_text("Scheduled")

    visitor = browser.new_context(base_url=live_server.url)
    visit = visitor.new_page()
    series_url = event.series.get_absolute_url()
    assert visit.goto(event.get_absolute_url()).status == 404
    visit.goto(series_url)
    expect(visit.get_by_role("link", name="IOM-NGO Humanitarian Consultation 2027")).to_have_count(0)

    ConsultationEvent.objects.filter(pk=event.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    # At the real moment, everything cached until it (pages, a series' totals) expires: so here too.
    cache.clear()

    response = visit.goto(event.get_absolute_url())
    assert response.status == 200
    expect(visit.get_by_role("heading", level=1)).to_have_text("IOM-NGO Humanitarian Consultation 2027")
    visit.goto(series_url)
    expect(visit.get_by_role("link", name="IOM-NGO Humanitarian Consultation 2027").first).to_be_visible()
    visitor.close()
