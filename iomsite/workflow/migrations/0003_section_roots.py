"""Section roots in any section tree a content app declares, instead of two foreign keys.

The roots of existing sections are copied: the old ``theme`` and ``region`` columns
become rows keyed by the trees' names in ``iomsite.content`` ("theme", "region").
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_ROOT_FIELDS = ("theme", "region")  # the tree keys are the old field names


def copy_roots(apps, schema_editor):
    Section = apps.get_model("workflow", "Section")
    SectionRoot = apps.get_model("workflow", "SectionRoot")
    rows = []
    for section in Section.objects.using(schema_editor.connection.alias).all():
        for tree in OLD_ROOT_FIELDS:
            node_id = getattr(section, f"{tree}_id")
            if node_id is not None:
                rows.append(SectionRoot(section=section, tree=tree, node_id=node_id))
    SectionRoot.objects.using(schema_editor.connection.alias).bulk_create(rows)


def copy_back(apps, schema_editor):
    Section = apps.get_model("workflow", "Section")
    SectionRoot = apps.get_model("workflow", "SectionRoot")
    for row in SectionRoot.objects.using(schema_editor.connection.alias).filter(tree__in=OLD_ROOT_FIELDS):
        Section.objects.filter(pk=row.section_id).update(**{f"{row.tree}_id": row.node_id})


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectionRoot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree", models.CharField(max_length=50, verbose_name="tree")),
                ("node_id", models.PositiveBigIntegerField(verbose_name="node")),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="root_rows", to="workflow.section"
                    ),
                ),
            ],
            options={
                "verbose_name": "section root",
                "verbose_name_plural": "section roots",
                "ordering": ["section_id", "tree"],
                "indexes": [models.Index(fields=["tree", "node_id"], name="workflow_sectionroot_node")],
                "constraints": [
                    models.UniqueConstraint(fields=("section", "tree"), name="workflow_sectionroot_one_per_tree")
                ],
            },
        ),
        migrations.RunPython(copy_roots, copy_back),
        migrations.RemoveConstraint(model_name="section", name="workflow_section_has_a_root"),
        migrations.RemoveField(model_name="section", name="region"),
        migrations.RemoveField(model_name="section", name="theme"),
    ]
