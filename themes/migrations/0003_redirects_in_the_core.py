"""Old theme addresses move to the site's redirects (``iomsite.Redirect``), which every content type shares."""

from django.db import migrations


def copy_redirects(apps, schema_editor):
    db = schema_editor.connection.alias
    ThemeRedirect = apps.get_model("themes", "ThemeRedirect")
    Redirect = apps.get_model("iomsite", "Redirect")
    ContentType = apps.get_model("contenttypes", "ContentType")
    theme_type, _created = ContentType.objects.using(db).get_or_create(app_label="themes", model="theme")
    rows = [
        Redirect(
            old_path=f"/themes/{old.old_path}/",
            content_type_id=theme_type.pk,
            object_id=old.theme_id,
            automatic=True,
            created_at=old.created_at,
            updated_at=old.created_at,
        )
        for old in ThemeRedirect.objects.using(db).all()
    ]
    Redirect.objects.using(db).bulk_create(rows, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    db = schema_editor.connection.alias
    ThemeRedirect = apps.get_model("themes", "ThemeRedirect")
    Redirect = apps.get_model("iomsite", "Redirect")
    for redirect in Redirect.objects.using(db).filter(
        content_type__app_label="themes", content_type__model="theme", old_path__startswith="/themes/"
    ):
        ThemeRedirect.objects.using(db).get_or_create(
            old_path=redirect.old_path[len("/themes/") :].strip("/"), defaults={"theme_id": redirect.object_id}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0002_theme_parts_and_redirects"),
        ("iomsite", "0002_redirects"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_redirects, copy_back),
        migrations.DeleteModel(name="ThemeRedirect"),
    ]
