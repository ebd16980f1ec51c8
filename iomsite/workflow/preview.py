"""What a visitor, or a staff member previewing, may see of a queryset on the public site."""

from django.db.models import Q

from iomsite.workflow.options import admin_for
from iomsite.workflow.sections import get_scope


def may_preview(user, model):
    opts = model._meta
    return user.is_authenticated and user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def previewable(request, queryset):
    """Published objects for everyone; drafts too for staff who may change them, inside their sections.

    For ``PreviewMixin.get_queryset`` and function views such as ``page_detail``.
    """
    model = queryset.model
    if not may_preview(request.user, model):
        return queryset.published()
    scope = get_scope(request.user)
    model_admin = admin_for(model)
    paths = model_admin.get_section_paths() if hasattr(model_admin, "get_section_paths") else None
    if scope is None or not paths:
        return queryset
    return queryset.filter(Q(pk__in=queryset.published().values("pk")) | scope.object_q(model, paths))
