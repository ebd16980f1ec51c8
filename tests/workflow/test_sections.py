"""A sectioned team sees and edits only its subtree, on every admin path that names an object."""

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from iomsite.models import Document
from iomsite.workflow.roles import EDITOR, PUBLISHER
from iomsite.workflow.scoped import WorkflowAdminMixin
from iomsite.workflow.sections import get_scope
from regions.models import Office, Region
from tests.regions.factories import make_office
from tests.themes.factories import make_theme
from tests.workflow.conftest import SECRET, client_for, make_user, team_group
from tests.workflow.helpers import admin_url, change_url, changelist_url, form_data
from themes.models import Theme

pytestmark = pytest.mark.django_db


def snapshot(obj):
    return type(obj).objects.filter(pk=obj.pk).values().first()


def test_scope_rules(amy, world, editor):
    scope = get_scope(amy)
    assert scope is not None
    assert get_scope(editor) is None  # Editor role: not sectioned
    # A wider grant wins: the same person also in the unsectioned Editor group is not limited.
    amy.groups.add(Group.objects.get(name=EDITOR))
    del amy._workflow_scope
    assert get_scope(amy) is None


def test_changelist_shows_only_the_section(amy_client, world):
    response = amy_client.get(changelist_url(Region))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Honduras" in html and "Central America" in html
    assert SECRET not in html and "Europe" not in html
    response = amy_client.get(changelist_url(Office))
    assert "tegucigalpa" in response.content.decode().lower() or response.context["cl"].result_count == 1
    assert SECRET not in response.content.decode()


def test_in_section_object_is_editable(amy_client, world):
    honduras = world["honduras"]
    response = amy_client.get(change_url(honduras))
    assert response.status_code == 200
    response = amy_client.get(change_url(world["office_in"]))
    assert response.status_code == 200


def _versions(obj):
    for n in range(2):
        with reversion.create_revision():
            obj.summary = f"{SECRET} version {n}"
            obj.save()
    return list(reversion.models.Version.objects.get_for_object(obj).values_list("pk", flat=True))


@pytest.mark.parametrize("target", ["spain", "office_out"])
def test_every_admin_path_refuses_an_object_outside_the_section(amy_client, world, target):
    obj = world[target]
    version_ids = _versions(obj)
    before = snapshot(obj)
    ct = ContentType.objects.get_for_model(obj)
    data = {"title_en": "Taken", "name_en": "Taken", "slug": "taken", "post": "yes", "_save_anyway": "1"}
    requests = [
        ("get", change_url(obj), None),
        ("post", change_url(obj), data),
        ("get", admin_url(obj, "delete"), None),
        ("post", admin_url(obj, "delete"), {"post": "yes"}),
        ("get", admin_url(obj, "history"), None),
        ("get", admin_url(obj, "history/compare") + f"?a={version_ids[0]}&b={version_ids[1]}", None),
        ("get", admin_url(obj, f"history/{version_ids[0]}"), None),
        ("post", admin_url(obj, f"history/{version_ids[0]}"), data),
        ("get", admin_url(obj, "preview"), None),
        ("get", f"/admin/r/{ct.pk}/{obj.pk}/", None),
    ]
    for method, url, payload in requests:
        response = getattr(amy_client, method)(url, payload or {})
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert SECRET not in response.content.decode(), (method, url)
    assert snapshot(obj) == before


def test_bulk_actions_ignore_objects_outside_the_section(django_user_model, world):
    pat = make_user(django_user_model, "pat", team_group("Americas publishers", PUBLISHER, region=world["americas"]))
    client = client_for(pat)
    spain, office = world["spain"], world["office_out"]
    client.post(changelist_url(Region), {"action": "publish_now", "_selected_action": [spain.pk]})
    client.post(changelist_url(Office), {"action": "publish_now", "_selected_action": [office.pk]})
    client.post(changelist_url(Office), {"action": "delete_selected", "_selected_action": [office.pk], "post": "yes"})
    spain.refresh_from_db()
    assert spain.status == "draft"
    assert Office.objects.filter(pk=office.pk, status="draft").exists()
    # Inside the section the same actions work.
    honduras_office = world["office_in"]
    honduras_office.status = "draft"
    honduras_office.save()
    client.post(changelist_url(Office), {"action": "publish_now", "_selected_action": [honduras_office.pk]})
    honduras_office.refresh_from_db()
    assert honduras_office.status == "published"


def test_a_form_cannot_name_another_sections_object(amy_client, world):
    office = world["office_in"]
    office.status = "draft"
    office.save()
    response = amy_client.get(change_url(office))
    data = form_data(response, country=world["spain"].pk)
    response = amy_client.post(change_url(office), data)
    assert response.status_code == 200
    assert "country" in response.context["adminform"].form.errors
    assert SECRET not in response.content.decode()
    office.refresh_from_db()
    assert office.country_id == world["honduras"].pk


def test_new_node_must_go_inside_the_section(amy_client, world):
    response = amy_client.get("/admin/regions/region/add/")
    assert response.status_code == 200
    parent_choices = [str(pk) for pk, _label in response.context["adminform"].form.fields["parent"].choices if pk]
    assert str(world["spain"].pk) not in parent_choices and str(world["central"].pk) in parent_choices
    base = form_data(response, title_en="Nowhere", slug="nowhere", kind="region", body_en="<p>x</p>")
    response = amy_client.post("/admin/regions/region/add/", {**base, "parent": ""})
    assert response.status_code == 200
    assert not Region.objects.filter(slug="nowhere").exists()
    response = amy_client.post("/admin/regions/region/add/", {**base, "parent": world["europe"].pk})
    assert response.status_code == 200
    assert not Region.objects.filter(slug="nowhere").exists()
    inside = {**base, "parent": world["central"].pk, "kind": "country", "iso_code": "GT", "slug": "guatemala"}
    response = amy_client.post("/admin/regions/region/add/", inside)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Region.objects.get(slug="guatemala").parent == world["central"]


def test_section_root_keeps_its_parent_when_saved(django_user_model, world):
    team = team_group("Central team", region=world["central"])
    client = client_for(make_user(django_user_model, "cara", team))
    central = world["central"]
    central.status = "draft"
    central.save()
    response = client.get(change_url(central))
    response = client.post(change_url(central), form_data(response, summary_en="Updated"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    central.refresh_from_db()
    assert central.summary == "Updated" and central.parent == world["americas"]


def move(client, node, target, position):
    return client.post(
        changelist_url(Region), {"cmd": "move_node", "cut_item": node.pk, "pasted_on": target.pk, "position": position}
    )


def tree_state(model):
    return list(model.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght", "tree_id"))


def test_tree_moves_stay_inside_the_section(amy_client, world):
    honduras, europe, spain = world["honduras"], world["europe"], world["spain"]
    honduras.status = "draft"
    honduras.save()
    before = tree_state(Region)
    assert move(amy_client, honduras, europe, "last-child").status_code == 404  # into another section
    assert move(amy_client, spain, world["central"], "last-child").status_code == 404  # from another section
    assert tree_state(Region) == before
    assert move(amy_client, honduras, world["caribbean"], "last-child").content == b"OK, moved."


def test_tree_moves_cannot_leave_the_section(django_user_model):
    labour, ethical, iris = (make_theme(slug, published=False) for slug in ("labour", "ethical", "iris"))
    ethical.move_to(labour, "last-child")
    iris.move_to(Theme.objects.get(pk=ethical.pk), "last-child")
    client = client_for(make_user(django_user_model, "tess", team_group("Recruitment team", theme=ethical)))
    before = tree_state(Theme)
    for target, position in ((ethical, "left"), (ethical, "right")):  # beside the section root: outside
        response = client.post(
            changelist_url(Theme),
            {"cmd": "move_node", "cut_item": iris.pk, "pasted_on": target.pk, "position": position},
        )
        assert response.status_code == 403
    assert tree_state(Theme) == before


def test_autocomplete_and_raw_id_lookups_offer_only_the_section(amy_client, world):
    response = amy_client.get(
        "/admin/autocomplete/",
        {"app_label": "regions", "model_name": "office", "field_name": "country", "term": ""},
    )
    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert "Honduras" in names and SECRET not in names and "Europe" not in names
    response = amy_client.get(changelist_url(Region), {"_to_field": "id", "_popup": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Honduras" in html and SECRET not in html


def test_raw_id_label_shows_no_title_outside_the_section(amy_client, world):
    """The add form takes initial values from the query string; a foreign one is dropped."""
    response = amy_client.get("/admin/regions/office/add/", {"country": world["spain"].pk})
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_themes_stay_open_to_a_region_team_for_choices_but_not_for_editing(amy_client, world):
    theme = make_theme("labour-migration", title="Labour migration")
    assert amy_client.get(change_url(theme)).status_code == 404
    response = amy_client.get(
        "/admin/autocomplete/",
        {"app_label": "regions", "model_name": "region", "field_name": "parent", "term": ""},
    )
    assert response.status_code == 200


def test_an_inline_row_naming_another_sections_object_is_refused(amy, world):
    """Any inline whose rows name a tree node: here a document's regions (a real relation)."""

    class RegionsInline(admin.TabularInline):
        model = Region.documents.through

    class DocumentWithRegions(WorkflowAdminMixin, admin.ModelAdmin):
        inlines = [RegionsInline]

    from tests.iomsite.factories import make_document

    document = make_document()
    request = RequestFactory().post("/")
    request.user = amy
    model_admin = DocumentWithRegions(Document, admin.site)
    formset_class, _inline = next(model_admin.get_formsets_with_inlines(request, document))
    prefix = formset_class.get_default_prefix()
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-0-region": world["spain"].pk}
    formset = formset_class(data, instance=document, prefix=prefix)
    assert not formset.is_valid()
    assert "region" in formset.forms[0].errors
    data[f"{prefix}-0-region"] = world["honduras"].pk
    assert formset_class(data, instance=document, prefix=prefix).is_valid()


def test_changelist_query_strings_filter_on_declared_filters_only(staff_client, amy_client, world):
    assert staff_client.get(changelist_url(Region), {"body__contains": "About"}).status_code == 400
    assert amy_client.get(changelist_url(Region), {"title__startswith": "King"}).status_code == 400
    assert staff_client.get(changelist_url(Region), {"kind__exact": "country"}).status_code == 200


def test_previewable_limits_drafts_to_the_section(amy, world, rf):
    from django.conf import settings

    from iomsite.preview import visible as previewable

    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "signed-in"  # a previewer has a session
    request.user = amy

    visible = set(previewable(request, Region.objects.all()).values_list("slug", flat=True))
    assert "honduras" in visible and "europe" in visible  # published: public anyway
    assert "spain" not in visible  # another section's draft
    honduras = world["honduras"]
    Region.objects.filter(pk=honduras.pk).update(status="draft")
    assert previewable(request, Region.objects.filter(pk=honduras.pk)).exists()  # own draft


def test_public_url_of_another_sections_draft_is_not_found(amy_client, world):
    response = amy_client.get(world["spain"].get_absolute_url())
    assert response.status_code == 404


def test_dashboard_lists_only_the_section(amy_client, world):
    response = amy_client.get("/admin/")
    assert response.status_code == 200
    titles = [item["title"] for items in response.context["board"].values() for item in items]
    assert "Honduras" in titles
    assert not any(SECRET in title for title in titles) and "Europe" not in titles
    assert SECRET not in response.content.decode()


def test_history_of_an_item_never_names_another_sections_object(amy_client, world):
    """An office moved into the section from Spain: its old version names Spain; compare and restore hide it."""
    office = make_office(world["spain"], "moved", published=False, name="Moved office", address="Main street")
    for country in (world["spain"], world["honduras"]):
        with reversion.create_revision():
            office.country = country
            office.save()
    old, new = reversion.models.Version.objects.get_for_object(office).order_by("pk")
    response = amy_client.get(admin_url(office, "history/compare"), {"a": old.pk, "b": new.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html and "(outside your sections)" in html
    url = admin_url(office, f"history/{old.pk}")
    for method in ("get", "post"):
        response = getattr(amy_client, method)(url, {"country": world["spain"].pk}, follow=True)
        html = response.content.decode()
        assert SECRET not in html and "That version lies outside your sections" in html
    office.refresh_from_db()
    assert office.country == world["honduras"]
