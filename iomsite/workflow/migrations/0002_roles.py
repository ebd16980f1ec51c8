"""The Editor, Publisher and Site manager groups.

Permissions are created here for every app known at this point of the migration
graph (Django would only create them after the whole migrate run); models that
arrive in later migrations get theirs from the post_migrate handler in roles.py.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from iomsite.workflow.roles import create_all_permissions, sync_roles

    using = schema_editor.connection.alias
    create_all_permissions(apps=apps, using=using)
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), using=using)


def remove_roles(apps, schema_editor):
    from iomsite.workflow.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("iomsite", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
