from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.utils.translation import gettext as _


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" redirect, for objects the user may see in the admin only.

    Django's own answers any staff member for any object, which would tell a sectioned
    editor the address (and so the slug) of another section's draft.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None:
        raise Http404(_("Not found."))
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404(_("Not found."))
    else:
        opts = model._meta
        if not any(
            request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")
        ):
            raise Http404(_("Not found."))
    return shortcut(request, content_type_id, object_id)
