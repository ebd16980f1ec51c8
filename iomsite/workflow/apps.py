from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "iomsite.workflow"
    label = "workflow"
    verbose_name = _("Editorial workflow")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from iomsite.workflow import roles, schedule, sections

        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="workflow-sync-roles")
        sections.connect()
        schedule.connect()
