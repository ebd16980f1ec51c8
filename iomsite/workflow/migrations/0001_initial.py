import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('regions', '0001_initial'),
        ('themes', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='BrokenLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='object id')),
                ('object_repr', models.CharField(max_length=300, verbose_name='found in')),
                ('field', models.CharField(max_length=100, verbose_name='field')),
                ('url', models.CharField(max_length=2000, verbose_name='link')),
                ('kind', models.CharField(choices=[('internal', 'On this site'), ('external', 'Other website')], max_length=10, verbose_name='kind')),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='answer code')),
                ('problem', models.CharField(max_length=300, verbose_name='problem')),
                ('checked_at', models.DateTimeField(verbose_name='checked at')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype', verbose_name='content type')),
            ],
            options={
                'verbose_name': 'broken link',
                'verbose_name_plural': 'broken links',
                'ordering': ['content_type_id', 'object_id', 'field', 'url'],
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='workflow_brokenlink_object')],
            },
        ),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='For example “Americas team”.', max_length=100, verbose_name='name')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='auth.group', verbose_name='group')),
                ('region', models.ForeignKey(blank=True, help_text='Members edit only this region, its sub-regions and countries, and content about them.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='region and everything under it')),
                ('theme', models.ForeignKey(blank=True, help_text='Members edit only this theme, everything under it, and content tagged with them.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='themes.theme', verbose_name='theme and its sub-topics')),
            ],
            options={
                'verbose_name': 'section',
                'verbose_name_plural': 'sections',
                'ordering': ['group__name', 'name'],
                'permissions': [('publish_content', 'Can publish, schedule and unpublish content')],
                'constraints': [models.CheckConstraint(condition=models.Q(('theme__isnull', False), ('region__isnull', False), _connector='OR'), name='workflow_section_has_a_root', violation_error_message='Choose a theme, a region, or both.')],
            },
        ),
    ]
