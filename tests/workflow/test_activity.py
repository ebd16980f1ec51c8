"""The site-wide activity log: every action in words, filterable, inside one's sections."""

import pytest

from iomsite.workflow.models import Activity
from tests.iomsite.factories import make_page
from tests.workflow.conftest import SECRET
from tests.workflow.helpers import change_url, form_data

pytestmark = pytest.mark.django_db

LOG = "/admin/workflow/activity/"


def test_actions_are_logged_in_words_and_filtered(editor, editor_client, publisher_client):
    response = editor_client.post(
        "/admin/iomsite/page/add/",
        form_data(editor_client.get("/admin/iomsite/page/add/"), title_en="Fresh", slug="fresh", body_en="<p>x</p>"),
    )
    assert response.status_code == 302
    page = make_page(published=True, title="Live page")
    data = form_data(editor_client.get(change_url(page)), title_en="Live page, new", _submit="1")
    assert editor_client.post(change_url(page), data).status_code == 302
    data = form_data(publisher_client.get(change_url(page)), _publish="1")
    assert publisher_client.post(change_url(page), data).status_code == 302
    actions = list(Activity.objects.order_by("pk").values_list("action", "message"))
    assert actions[0] == ("created", "Created it as a draft.")
    assert ("submitted", actions[-2][1]) == actions[-2] and actions[-2][1].startswith("Submitted the draft of ")
    assert actions[-1][0] == "published" and actions[-1][1].startswith("Published the draft of ")
    html = publisher_client.get(LOG).content.decode()
    assert "Published the draft of" in html and "No fields changed" not in html
    mine = publisher_client.get(LOG, {"user__id__exact": editor.pk})
    assert {entry.user for entry in mine.context["cl"].result_list} == {editor}
    published = publisher_client.get(LOG, {"action__exact": "published"})
    assert [entry.action for entry in published.context["cl"].result_list] == ["published"]


def test_a_sectioned_editor_reads_the_log_of_their_sections_only(amy_client, world, publisher_client):
    from iomsite.workflow import drafts

    drafts.record(None, Activity.Action.CHANGED, world["spain"], "Changed the secret country.")
    drafts.record(None, Activity.Action.CHANGED, world["honduras"], "Changed Honduras.")
    html = amy_client.get(LOG).content.decode()
    assert "Changed Honduras." in html and SECRET not in html and "secret country" not in html
    everyone = publisher_client.get(LOG).content.decode()
    assert "secret country" in everyone
