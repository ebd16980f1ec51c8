"""Drafts of live items (decision 016): edit, preview, compare, publish, discard; visitors keep the live version."""

import pytest
from django.core import mail
from reversion.models import Version

from iomsite.models import Page
from iomsite.workflow.models import Activity, Draft
from tests.helpers import run_tasks
from tests.iomsite.factories import make_page
from tests.themes.factories import make_theme
from tests.workflow.helpers import admin_url, change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db


def save_draft(client, obj, **changes):
    data = form_data(client.get(change_url(obj)), **changes)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def test_an_editor_changes_a_live_page_as_a_draft_and_visitors_keep_the_live_version(editor_client, client):
    page = make_page(published=True, title="Live title", body="<p>Live words</p>")
    response = editor_client.get(change_url(page))
    assert response.context["has_change_permission"]
    save_draft(editor_client, page, title_en="Draft title", body_en="<p>New words</p>")
    page.refresh_from_db()
    assert page.title == "Live title"
    public = client.get(page.get_absolute_url()).content.decode()
    assert "Live title" in public and "Draft title" not in public and "New words" not in public
    draft = Draft.objects.get()
    assert draft.state == Draft.State.EDITING and draft.object_id == page.pk
    # The form shows the draft, with the banner.
    html = editor_client.get(change_url(page)).content.decode()
    assert 'value="Draft title"' in html and "Live + draft changes" in html
    assert Activity.objects.filter(action=Activity.Action.DRAFTED, object_id=page.pk).exists()


def test_a_publisher_publishes_the_draft_in_one_step(editor_client, publisher_client, client):
    page = make_page(published=True, title="Live title")
    save_draft(editor_client, page, title_en="Draft title")
    data = form_data(publisher_client.get(change_url(page)), _publish="1")
    assert data["title_en"] == "Draft title"
    assert publisher_client.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.title == "Draft title" and page.is_live
    assert not Draft.objects.exists()
    assert "Draft title" in client.get(page.get_absolute_url()).content.decode()
    assert Version.objects.get_for_object(page).exists()
    entry = Activity.objects.filter(action=Activity.Action.PUBLISHED).get()
    assert entry.message.startswith("Published the draft of ")


def test_a_publishers_own_save_of_a_live_item_is_a_draft_too(publisher_client, client):
    page = make_page(published=True, title="Live title")
    save_draft(publisher_client, page, title_en="Publisher draft")
    page.refresh_from_db()
    assert page.title == "Live title"
    assert "Publisher draft" not in client.get(page.get_absolute_url()).content.decode()
    assert Draft.objects.filter(object_id=page.pk).exists()


def test_discarding_a_draft_leaves_the_live_item_untouched(editor_client):
    page = make_page(published=True, title="Live title")
    save_draft(editor_client, page, title_en="Draft title")
    response = editor_client.post(change_url(page), {"_discard": "1"})
    assert response.status_code == 302
    assert not Draft.objects.exists()
    page.refresh_from_db()
    assert page.title == "Live title"
    assert 'value="Live title"' in editor_client.get(change_url(page)).content.decode()


def test_a_draft_page_is_still_edited_directly(editor_client):
    page = make_page(published=False, title="Old")
    save_draft(editor_client, page, title_en="New")
    page.refresh_from_db()
    assert page.title == "New" and not Draft.objects.exists()


def test_inline_rows_are_part_of_the_draft(editor_client, publisher_client, client):
    theme = make_theme("labour-migration", title="Labour Migration")
    response = editor_client.get(change_url(theme))
    data = form_data(response)
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model.__name__ == "ThemeLink"
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-title_en": "Draftcanary link",
            f"{prefix}-0-url": "https://example.org/",
            f"{prefix}-0-sort_order": "0",
        }
    )
    assert editor_client.post(change_url(theme), data).status_code == 302
    assert not theme.links.exists()
    assert "Draftcanary" not in client.get(theme.get_absolute_url() + "resources/").content.decode()
    preview = editor_client.get(admin_url(theme, "draft/preview") + "?tab=resources/")
    assert preview.status_code == 200 and "Draftcanary" in preview.content.decode()
    assert "no-cache" in preview["Cache-Control"] and "Preview of the draft" in preview.content.decode()
    assert not theme.links.exists()  # the preview undid itself
    publish = form_data(publisher_client.get(change_url(theme)), _publish="1")
    assert publisher_client.post(change_url(theme), publish).status_code == 302
    assert theme.links.get().title == "Draftcanary link"
    assert "Draftcanary" in client.get(theme.get_absolute_url() + "resources/").content.decode()


def test_compare_shows_the_changed_words_as_text(editor_client):
    page = make_page(published=True, title="Live title", body="<p>The old <strong>words</strong> here</p>")
    save_draft(editor_client, page, body_en="<p>The new <strong>words</strong> here</p>")
    response = editor_client.get(admin_url(page, "draft/compare"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>old</del>" in html and "<ins>new</ins>" in html
    assert "&lt;strong&gt;" not in html


def test_changelist_badge_and_filter_say_live_with_draft_changes(editor_client):
    changed = make_page(published=True, title="Changed one")
    make_page(published=True, title="Untouched one")
    save_draft(editor_client, changed, title_en="Changed draft")
    html = editor_client.get(changelist_url(Page)).content.decode()
    assert "Live + draft changes" in html
    filtered = editor_client.get(changelist_url(Page) + "?state=changes")
    titles = [str(obj) for obj in filtered.context["cl"].result_list]
    assert titles == ["Changed one"]


def test_review_submit_mails_the_publishers_and_send_back_mails_the_editor(
    editor, editor_client, publisher, publisher_client
):
    page = make_page(published=True, title="Live title")
    save_draft(editor_client, page, title_en="Draft title", _submit="1")
    draft = Draft.objects.get()
    assert draft.state == Draft.State.IN_REVIEW and draft.submitted_by == editor
    assert mail.outbox == []  # sent by the worker, not in the request
    run_tasks()
    assert [message.to for message in mail.outbox] == [[publisher.email]]
    assert "Draft title" not in mail.outbox[0].body and "Live title" in mail.outbox[0].subject
    html = publisher_client.get("/admin/").content.decode()
    assert "Live title" in html and "Waiting for review" in html
    data = form_data(publisher_client.get(change_url(page)), _send_back="1", _review_comment="Shorter, please.")
    assert publisher_client.post(change_url(page), data).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Draft.State.EDITING and draft.comment == "Shorter, please."
    run_tasks()
    assert mail.outbox[-1].to == [editor.email] and "Shorter, please." in mail.outbox[-1].body
    assert "Shorter, please." in editor_client.get(change_url(page)).content.decode()
    actions = set(Activity.objects.values_list("action", flat=True))
    assert {Activity.Action.SUBMITTED, Activity.Action.SENT_BACK} <= actions


def test_an_editor_crafted_publish_of_a_draft_is_refused(editor_client):
    page = make_page(published=True, title="Live title")
    save_draft(
        editor_client, page, title_en="Draft title", _publish="1", _schedule_changes="1", _changes_at="2020-01-01T00:00"
    )
    page.refresh_from_db()
    assert page.title == "Live title"
    assert Draft.objects.get().state == Draft.State.EDITING


def test_a_chapter_added_to_a_live_publication_waits_in_its_draft(editor_client, publisher_client, client):
    from publications.models import TocEntry
    from tests.publications.factories import make_entry, make_publication
    from tests.publications.test_admin import entry_data

    publication = make_publication("world-migration-report-2018", title="World Migration Report 2018")
    make_entry(publication, "Live chapter", slug="live-chapter")
    data = entry_data(TocEntry(publication=publication, kind="chapter", title="Draftcanary chapter", slug="new-one"))
    response = editor_client.post("/admin/publications/tocentry/add/", data)
    assert response.status_code == 302
    assert response["Location"] == change_url(publication)
    assert not TocEntry.objects.filter(slug="new-one").exists()
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "Live chapter" in page and "Draftcanary" not in page
    draft = Draft.objects.get(object_id=publication.pk)
    new_pk = next(row["pk"] for row in draft.data["rows"] if row["fields"]["slug"] == "new-one")
    # The draft's chapter opens in the admin, and a change to it stays in the draft.
    form = editor_client.get(f"/admin/publications/tocentry/{new_pk}/change/")
    assert form.status_code == 200
    changed = entry_data(TocEntry(publication=publication, kind="chapter", title="Draftcanary renamed", slug="new-one"))
    assert editor_client.post(f"/admin/publications/tocentry/{new_pk}/change/", changed).status_code == 302
    assert not TocEntry.objects.filter(slug="new-one").exists()
    assert "Draftcanary renamed" in editor_client.get(change_url(publication)).content.decode()
    # A bulk delete cannot take a live chapter off at once; deleting it one by one goes into the draft.
    live_chapter = TocEntry.objects.get(slug="live-chapter")
    editor_client.post(f"/admin/publications/tocentry/{live_chapter.pk}/delete/", {"post": "yes"})
    assert TocEntry.objects.filter(slug="live-chapter").exists()
    # Published: the new chapter is live at the address the draft gave it, the deleted one is gone.
    publish = form_data(publisher_client.get(change_url(publication)), _publish="1")
    assert publisher_client.post(change_url(publication), publish).status_code == 302
    assert TocEntry.objects.get(slug="new-one").pk == new_pk
    assert not TocEntry.objects.filter(slug="live-chapter").exists()
    assert "Draftcanary renamed" in client.get(publication.get_absolute_url()).content.decode()
