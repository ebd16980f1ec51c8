"""Each role against each action: what it may do, and what it is refused."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from iomsite.models import MenuItem, Page, SiteSettings, Status
from iomsite.workflow.roles import EDITOR, PUBLISHER, ROLES, SITE_MANAGER, sync_roles
from tests.iomsite.factories import make_page
from tests.workflow.conftest import client_for, make_user
from tests.workflow.helpers import admin_url, change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db


def view_content(client):
    return client.get(changelist_url(Page)).status_code == 200


def add_draft(client):
    data = form_data(client.get("/admin/iomsite/page/add/"), title_en="New", slug="new-page", body_en="<p>x</p>")
    client.post("/admin/iomsite/page/add/", data)
    return Page.objects.filter(slug="new-page", status=Status.DRAFT).exists()


def change_draft(client):
    page = make_page(published=False)
    response = client.get(change_url(page))
    client.post(change_url(page), form_data(response, title_en="Changed"))
    return Page.objects.get(pk=page.pk).title == "Changed"


def change_published_as_draft(client):
    """The change is kept as a draft (decision 016); visitors keep the live version."""
    from iomsite.workflow.models import Draft

    page = make_page(published=True, title="Live")
    response = client.get(change_url(page))
    if response.status_code != 200 or not response.context["has_change_permission"]:
        return False
    client.post(change_url(page), form_data(response, title_en="Changed"))
    assert Page.objects.get(pk=page.pk).title == "Live"
    return Draft.objects.filter(object_id=page.pk, data__object__fields__title_en="Changed").exists()


def publish_changes(client):
    page = make_page(published=True, title="Live")
    response = client.get(change_url(page))
    if response.status_code == 200:
        client.post(change_url(page), form_data(response, title_en="Changed", _publish="1"))
    return Page.objects.get(pk=page.pk).title == "Changed"


def delete_draft(client):
    page = make_page(published=False)
    client.post(admin_url(page, "delete"), {"post": "yes"})
    return not Page.objects.filter(pk=page.pk).exists()


def delete_published(client):
    page = make_page(published=True)
    client.post(admin_url(page, "delete"), {"post": "yes"})
    return not Page.objects.filter(pk=page.pk).exists()


def publish_button(client):
    page = make_page(published=False)
    response = client.get(change_url(page))
    client.post(change_url(page), form_data(response, _publish="1", status="published"))
    return Page.objects.get(pk=page.pk).is_live


def bulk_publish(client):
    page = make_page(published=False)
    client.post(changelist_url(Page), {"action": "publish_now", "_selected_action": [page.pk]})
    return Page.objects.get(pk=page.pk).is_live


def bulk_unpublish(client):
    page = make_page(published=True)
    client.post(changelist_url(Page), {"action": "unpublish_now", "_selected_action": [page.pk]})
    return Page.objects.get(pk=page.pk).status == Status.DRAFT


def edit_menus(client):
    data = {"menu": "footer", "title_en": "Contact", "url": "/contact/", "is_active": "on", "parent": ""}
    client.post("/admin/iomsite/menuitem/add/", data)
    return MenuItem.objects.filter(title="Contact").exists()


def edit_site_settings(client):
    SiteSettings.objects.create(name="IOM")
    response = client.get("/admin/iomsite/sitesettings/1/change/")
    if response.status_code != 200 or not response.context["has_change_permission"]:
        return False
    client.post("/admin/iomsite/sitesettings/1/change/", form_data(response, name_en="IOM UN Migration"))
    return SiteSettings.objects.get().name == "IOM UN Migration"


def manage_users(client):
    return client.get("/admin/auth/user/").status_code == 200 and client.get("/admin/auth/group/").status_code == 200


def read_link_report(client):
    return client.get("/admin/workflow/brokenlink/").status_code == 200


ACTIONS = {
    "view content": (view_content, {EDITOR, PUBLISHER, SITE_MANAGER}),
    "add a draft": (add_draft, {EDITOR, PUBLISHER, SITE_MANAGER}),
    "change a draft": (change_draft, {EDITOR, PUBLISHER, SITE_MANAGER}),
    "change a published item as a draft": (change_published_as_draft, {EDITOR, PUBLISHER, SITE_MANAGER}),
    "publish changes to a published item": (publish_changes, {PUBLISHER, SITE_MANAGER}),
    "delete a draft": (delete_draft, {EDITOR, PUBLISHER, SITE_MANAGER}),
    "delete a published item": (delete_published, {PUBLISHER, SITE_MANAGER}),
    "publish with the button": (publish_button, {PUBLISHER, SITE_MANAGER}),
    "publish with the bulk action": (bulk_publish, {PUBLISHER, SITE_MANAGER}),
    "unpublish with the bulk action": (bulk_unpublish, {PUBLISHER, SITE_MANAGER}),
    "edit menus": (edit_menus, {SITE_MANAGER}),
    "edit site settings": (edit_site_settings, {SITE_MANAGER}),
    "manage users and groups": (manage_users, {SITE_MANAGER}),
    "read the link report": (read_link_report, {EDITOR, PUBLISHER, SITE_MANAGER}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_role_against_action(django_user_model, role, action):
    perform, allowed_roles = ACTIONS[action]
    client = client_for(make_user(django_user_model, "someone", Group.objects.get(name=role)))
    assert perform(client) is (role in allowed_roles)


def test_site_manager_cannot_make_a_superuser(manager_client, django_user_model):
    user = make_user(django_user_model, "newbie")
    response = manager_client.get(f"/admin/auth/user/{user.pk}/change/")
    assert "is_superuser" not in response.context["adminform"].form.fields
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-for-tests-only")
    assert manager_client.get(f"/admin/auth/user/{boss.pk}/change/").context["has_change_permission"] is False


def test_roles_come_from_the_migration_and_stay_in_step():
    editor = Group.objects.get(name=EDITOR)
    codenames = set(editor.permissions.values_list("content_type__app_label", "codename"))
    assert ("regions", "change_region") in codenames  # a content app's model
    assert ("iomsite", "delete_image") not in codenames  # editors do not delete media
    assert ("workflow", "publish_content") not in codenames
    assert ("workflow", "publish_content") in set(
        Group.objects.get(name=PUBLISHER).permissions.values_list("content_type__app_label", "codename")
    )
    # A permission taken away by hand, or a new model's permissions, come back at the next migrate.
    editor.permissions.remove(Permission.objects.get(codename="change_region"))
    call_command("migrate", verbosity=0)
    assert editor.permissions.filter(codename="change_region").exists()


def test_sync_roles_creates_missing_groups():
    Group.objects.filter(name__in=ROLES).delete()
    sync_roles(Group, Permission)
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)
    assert Group.objects.get(name=SITE_MANAGER).permissions.filter(codename="change_user").exists()


def test_the_data_migration_creates_groups_with_permissions_of_the_apps_it_knows():
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = import_module("iomsite.workflow.migrations.0002_roles")
    Group.objects.filter(name__in=ROLES).delete()
    Permission.objects.filter(codename="publish_content").delete()
    state = MigrationLoader(connection).project_state(("workflow", "0002_roles"))
    migration.create_roles(state.apps, SimpleNamespace(connection=connection))  # it only asks for the alias
    publisher = Group.objects.get(name=PUBLISHER)
    assert publisher.permissions.filter(codename="publish_content").exists()  # created inside the migration
    assert publisher.permissions.filter(codename="change_page").exists()


def test_site_manager_hands_out_only_permissions_they_hold(manager_client):
    response = manager_client.get("/admin/auth/group/add/")
    choices = response.context["adminform"].form.fields["permissions"].queryset
    assert choices.filter(codename="change_page").exists()
    assert not choices.filter(codename="change_logentry").exists()
    assert not choices.filter(codename="add_permission").exists()


def test_a_section_root_cannot_be_deleted():
    from django.db.models import ProtectedError

    from iomsite.workflow.models import Section
    from tests.regions.factories import make_region

    americas = make_region("americas")
    group = Group.objects.create(name="Americas team")
    Section.objects.create(group=group, name="Americas").set_roots(americas)
    with pytest.raises(ProtectedError):
        americas.delete()
