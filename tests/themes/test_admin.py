import pytest
from django.contrib.messages import get_messages

from iomsite.models import Redirect, Status
from tests.iomsite.factories import make_image
from tests.themes.factories import add_content, make_chain, make_theme
from themes.models import Theme, Video

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/themes/theme/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def theme_form(**fields):
    """The add/change form with empty inline formsets."""
    data = {
        "title_en": "Fair Recruitment",
        "slug": "fair-recruitment",
        "parent": "",
        "summary_en": "",
        "body_en": "",
        "status": Status.PUBLISHED,
        "publish_at_0": "01/01/2020",
        "publish_at_1": "00:00:00",
    }
    for prefix in ("infographics", "projects", "documents", "links", "videos"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(fields)
    return data


def test_changelist_is_the_tree_with_badges_and_view_on_site(staff_client):
    labour, ethical = make_chain("labour", "ethical", title="Topic")
    make_theme("draft-topic", published=False)
    response = staff_client.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "mptt/draggable-admin.js" in page and 'class="tree-node"' in page
    assert 'style="text-indent:20px"' in page  # the child is indented
    assert "state-live" in page and "state-draft" in page
    assert f'href="{ethical.get_absolute_url()}"' in page and "View on site" in page and "Preview" in page


def test_changelist_search_and_state_filter(staff_client):
    make_theme("labour", title="Labour Migration")
    make_theme("draft-topic", published=False, title="Unfinished topic")
    page = staff_client.get(CHANGELIST, {"q": "labour"}).content.decode()
    assert "Labour Migration" in page and "Unfinished topic" not in page
    page = staff_client.get(CHANGELIST, {"state": "draft"}).content.decode()
    assert "Unfinished topic" in page and "Labour Migration" not in page


def test_add_and_change_pages_render_with_inlines(staff_client):
    theme = make_theme("labour")
    add_content(theme)
    response = staff_client.get(f"{CHANGELIST}add/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "&quot;#id_slug&quot;" in page and "&quot;dependency_list&quot;: [&quot;title_en&quot;]" in page
    response = staff_client.get(f"{CHANGELIST}{theme.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    for heading in ("infographics", "featured projects", "documents", "related links", "videos"):
        assert heading in page.lower(), heading
    assert "View on site" in page


def test_editor_adds_a_topic_under_a_parent(staff_client):
    parent = make_theme("labour")
    response = staff_client.post(f"{CHANGELIST}add/", theme_form(parent=parent.pk))
    assert response.status_code == 302
    theme = Theme.objects.get(slug="fair-recruitment")
    assert theme.path == "labour/fair-recruitment" and theme.updated_by is not None


@pytest.mark.parametrize("slug", ["resources", "news-and-media"])
def test_editor_cannot_take_a_tab_slug(staff_client, slug):
    parent = make_theme("labour")
    response = staff_client.post(f"{CHANGELIST}add/", theme_form(parent=parent.pk, slug=slug))
    assert response.status_code == 200
    assert "address of a tab" in response.context["adminform"].form.errors["slug"][0]
    assert not Theme.objects.filter(slug=slug).exists()


def test_editor_cannot_reuse_an_address(staff_client):
    parent = make_theme("labour")
    make_theme("fair-recruitment", parent=parent)
    response = staff_client.post(f"{CHANGELIST}add/", theme_form(parent=parent.pk))
    assert response.status_code == 200
    assert "/themes/labour/fair-recruitment/" in response.context["adminform"].form.errors["slug"][0]


def test_video_inline_refuses_other_sites(staff_client):
    theme = make_theme(
        "labour", published=False
    )  # a draft: a live one's changes would wait in its draft (decision 016)
    url = f"{CHANGELIST}{theme.pk}/change/"
    data = theme_form(
        title_en="Labour",
        slug="labour",
        **{
            "videos-TOTAL_FORMS": "1",
            "videos-0-sort_order": "0",
            "videos-0-title_en": "A film",
            "videos-0-url": "https://www.dailymotion.com/video/x7tgad0",
        },
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "YouTube or Vimeo" in response.content.decode()
    assert not Video.objects.exists()
    data["videos-0-url"] = "https://vimeo.com/123456789"
    assert staff_client.post(url, data).status_code == 302
    assert Video.objects.get().ref.video_id == "123456789"


def test_drag_and_drop_move_through_the_admin(staff_client, client):
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    policy = make_theme("policy")
    response = staff_client.post(
        CHANGELIST, {"cmd": "move_node", "cut_item": ethical.pk, "pasted_on": policy.pk, "position": "last-child"}
    )
    assert response.content == b"OK, moved."
    iris.refresh_from_db()
    assert iris.path == "policy/ethical/iris" and iris.parent_id == ethical.pk
    assert Theme.objects.get(pk=ethical.pk).parent_id == policy.pk
    assert client.get("/en/themes/labour/ethical/iris/")["Location"] == "/en/themes/policy/ethical/iris/"
    # Reordering among siblings (left/right) keeps the addresses.
    response = staff_client.post(
        CHANGELIST, {"cmd": "move_node", "cut_item": policy.pk, "pasted_on": labour.pk, "position": "left"}
    )
    assert response.content == b"OK, moved."
    assert [t.path for t in Theme.objects.filter(level=0)] == ["policy", "labour"]


def test_a_move_that_would_duplicate_an_address_is_refused(staff_client):
    labour, ethical = make_chain("labour", "ethical")
    policy = make_theme("policy")
    make_theme("ethical", parent=policy)
    response = staff_client.post(
        CHANGELIST, {"cmd": "move_node", "cut_item": ethical.pk, "pasted_on": policy.pk, "position": "last-child"}
    )
    assert response.content.startswith(b"FAIL")
    assert any("/themes/policy/ethical/" in message for message in messages_of(response))
    assert Theme.objects.get(pk=ethical.pk).path == "labour/ethical"


def test_deleting_a_topic_with_children_is_refused_naming_them(staff_client):
    labour, ethical = make_chain("labour", "ethical", title="Topic")
    ethical.title = "Ethical Recruitment"
    ethical.save()
    response = staff_client.get(f"{CHANGELIST}{labour.pk}/delete/")
    assert response.status_code == 302
    assert any("“Ethical Recruitment”" in message for message in messages_of(response))
    response = staff_client.post(f"{CHANGELIST}{labour.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and Theme.objects.filter(pk=labour.pk).exists()


def test_bulk_delete_of_a_topic_with_children_is_refused(staff_client):
    labour, ethical = make_chain("labour", "ethical")
    ethical.title = "Ethical Recruitment"
    ethical.save()
    for confirmed in ({}, {"post": "yes"}):
        response = staff_client.post(
            CHANGELIST, {"action": "delete_selected", "_selected_action": [labour.pk], **confirmed}, follow=True
        )
        assert any("“Ethical Recruitment”" in message for message in messages_of(response))
    assert Theme.objects.count() == 2


def test_leaf_topics_can_be_deleted(staff_client):
    labour, ethical = make_chain("labour", "ethical")
    add_content(ethical)
    response = staff_client.post(f"{CHANGELIST}{ethical.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Theme.objects.filter(pk=ethical.pk).exists()
    staff_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [labour.pk], "post": "yes"})
    assert not Theme.objects.exists()


def test_an_image_used_as_infographic_cannot_be_deleted(staff_client):
    theme = make_theme("labour")
    image = make_image(title="Remittances chart")
    theme.infographics.create(image=image)
    response = staff_client.get(f"/admin/iomsite/image/{image.pk}/delete/")
    page = response.content.decode()
    assert "Cannot delete image" in page and "protected related objects" in page


def test_old_addresses_are_listed_with_the_site_redirects(staff_client):
    _labour, ethical = make_chain("labour", "ethical")
    ethical.slug = "fair"
    ethical.save()
    assert Redirect.objects.count() == 1
    page = staff_client.get("/admin/iomsite/redirect/").content.decode()
    assert "/themes/labour/ethical/" in page
