"""The three roles, defined in code and kept in step with the installed models.

A data migration creates the groups; a ``post_migrate`` handler gives them the
permissions of models that arrive later (a new app, a new content type). The three
role groups are reset to this definition on every ``migrate``: a variation is a new
group (the group admin can copy a role's permissions into it).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

EDITOR = "Editor"
PUBLISHER = "Publisher"
SITE_MANAGER = "Site manager"
ROLES = (EDITOR, PUBLISHER, SITE_MANAGER)

PUBLISH_PERMISSION = ("workflow", "publish_content")
# The core's own models outside the editors' reach; every other model of a content app is content.
SITE_MODELS = {
    "iomsite.menuitem",
    "iomsite.sitesettings",
    "iomsite.redirect",
    "iomsite.notfound",
    "iomsite.abusereport",
}
MEDIA_MODELS = {"iomsite.image", "iomsite.document"}
MANAGER_MODELS = {"auth.user", "auth.group", "workflow.section"}
MANAGER_APPS = {"newsletter"}
REPORT_MODELS = {"workflow.brokenlink"}
# Owners and review dates of content (iomsite.reviews): editors keep them; marking an item
# reviewed also needs the change right on the item itself.
REVIEW_MODELS = {"reviews.contentreview"}
SEND_NEWSLETTER_PERMISSION = ("newsletter", "send_issue")  # sending reaches every subscriber: managers only


def _perms(model, actions):
    opts = model._meta
    return {(opts.app_label, f"{action}_{opts.model_name}") for action in actions if action in opts.default_permissions}


def role_permissions(apps=global_apps):
    """``{role: {(app_label, codename), ...}}`` for the models installed now.

    Editor: view, add and change content (the admin lets them change drafts only and
    delete their drafts, never published items), add media. Publisher: all of that,
    deleting, and publishing. Site manager: also menus, site settings, the newsletter,
    users, groups and sections.
    """
    from iomsite.content import content_app_labels

    everything = ("view", "add", "change", "delete")
    content_apps = content_app_labels()  # from the installed apps: historical app configs do not say
    editor, publisher, manager = set(), set(), set()
    for model in apps.get_models():
        label = model._meta.label_lower
        app_label = model._meta.app_label
        if app_label in content_apps and label not in SITE_MODELS:
            editor |= _perms(model, ("view", "add", "change") if label in MEDIA_MODELS else everything)
            publisher |= _perms(model, everything)
        elif label in SITE_MODELS or label in MANAGER_MODELS or app_label in MANAGER_APPS:
            manager |= _perms(model, everything)
        elif label in REPORT_MODELS:
            editor |= _perms(model, ("view",))
        elif label in REVIEW_MODELS:
            editor |= _perms(model, ("view", "change"))
    publisher |= editor | {PUBLISH_PERMISSION}
    manager |= publisher | {SEND_NEWSLETTER_PERMISSION}
    return {EDITOR: editor, PUBLISHER: publisher, SITE_MANAGER: manager}


def sync_roles(group_model, permission_model, using=DEFAULT_DB_ALIAS, apps=global_apps):
    """Create the role groups and set their permissions to the definition above."""
    wanted = role_permissions(apps)
    index = {
        (app_label, codename): pk
        for pk, app_label, codename in permission_model.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name in ROLES:
        group, _created = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.set([index[pair] for pair in sorted(wanted[name]) if pair in index])


def create_all_permissions(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Django creates permissions app by app after migrating; the roles need them all now."""
    historical = apps is not global_apps
    for app_config in apps.get_app_configs():
        if historical:
            app_config.models_module = True  # historical app configs have none; create_permissions skips those
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        if historical:
            app_config.models_module = None


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender.label != "workflow":
        return  # once per migrate, not once per app
    from django.contrib.auth.models import Group, Permission

    create_all_permissions(using=using)
    sync_roles(Group, Permission, using=using)
