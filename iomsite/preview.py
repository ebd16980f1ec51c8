"""Who sees drafts on the public site: one rule, asked by every public view and by the admin's Preview button.

Staff who may change a model see its drafts, inside their sections; a part (a chapter)
follows its owner (the publication): its owner's change permission, its owner's state.
Everyone else sees ``published()``. A request without a session cookie is never a
previewer, and the rule then never touches the session: anonymous pages carry no
``Vary: Cookie`` and shared caches keep them. A page showing anything not live is a
preview (the banner) and is never cached.
"""

from django.conf import settings
from django.db.models import Q
from django.utils.cache import add_never_cache_headers

from iomsite import content
from iomsite.workflow.sections import get_scope


def may_preview(request, model):
    """Whether this request may see drafts of ``model`` (before sections)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    opts = content.publishing_model(model)._meta
    return user.is_authenticated and user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def visible(request, queryset):
    """What this request may see of ``queryset``: ``published()``, and drafts inside one's sections for previewers."""
    model = queryset.model
    item = content.get(model)
    if not hasattr(queryset, "published") and item is not None and item.owner is not None:
        # A part without a queryset of its own (a theme's video): visible with its owner.
        return queryset.filter(**{f"{item.part_of}__in": visible(request, item.owner.model._default_manager.all())})
    if not may_preview(request, model):
        return queryset.published()
    scope = get_scope(request.user)
    paths = content.section_paths(model)
    if scope is None or not paths:
        return queryset
    return queryset.filter(Q(pk__in=queryset.published().values("pk")) | scope.object_q(model, paths))


def never_cache_preview(response, preview):
    """A preview is for one person, now: never kept by a cache."""
    if preview:
        add_never_cache_headers(response)
    return response


class PreviewMixin:
    """For detail views: ``visible()`` objects, ``preview=True`` (the banner) and never cached when not live."""

    def can_preview(self):
        return may_preview(self.request, self.model)

    def get_queryset(self):
        return visible(self.request, super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_live or getattr(self.request, "draft_preview", False)
        return context

    def render_to_response(self, context, **kwargs):
        return never_cache_preview(super().render_to_response(context, **kwargs), context.get("preview"))
