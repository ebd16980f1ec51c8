"""The "needs review" report, "Mark reviewed", and the owners and dates of items."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from iomsite import content
from iomsite.reviews.due import due_items, mark_reviewed, reviewable
from iomsite.reviews.models import ContentReview, ReviewRecord


def _number(value):
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


class ReviewRecordInline(admin.TabularInline):
    model = ReviewRecord
    fields = ("reviewed_at", "reviewed_by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ContentReviewForm(forms.ModelForm):
    class Meta:
        model = ContentReview
        fields = ("owner", "team", "review_by")


@admin.register(ContentReview)
class ContentReviewAdmin(admin.ModelAdmin):
    list_display = ("item_title", "content_type", "owner", "team", "review_by", "last_reviewed_at")
    list_filter = ("content_type", "team")
    list_select_related = ("content_type", "owner", "team")
    search_fields = ("owner__username", "owner__last_name", "team__name")
    readonly_fields = ("item_link", "last_reviewed_at", "last_reviewed_by")
    fields = ("item_link", "owner", "team", "review_by", "last_reviewed_at", "last_reviewed_by")
    autocomplete_fields = ("owner",)
    form = ContentReviewForm
    inlines = (ReviewRecordInline,)
    change_list_template = "reviews/admin/change_list.html"

    def has_add_permission(self, request):
        return False  # rows are made from the report, for a real item

    @admin.display(description=_("item"))
    def item_title(self, obj):
        item = obj.item
        return str(getattr(item, "title", item)) if item is not None else _("(deleted)")

    @admin.display(description=_("item"))
    def item_link(self, obj):
        from django.utils.html import format_html

        item = obj.item
        if item is None:
            return _("(deleted)")
        return format_html('<a href="{}">{}</a>', item.get_absolute_url(), getattr(item, "title", item))

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("needs-review/", wrap(self.due_view), name="reviews_contentreview_due"),
            path("mark/<int:type_pk>/<int:pk>/", wrap(self.mark_view), name="reviews_contentreview_mark"),
            path("for/<int:type_pk>/<int:pk>/", wrap(self.owner_view), name="reviews_contentreview_for"),
            *super().get_urls(),
        ]

    def _target(self, request, type_pk, pk, action="change"):
        """The content item, if it is reviewable and the user may change it."""
        content_type = get_object_or_404(ContentType, pk=type_pk)
        model = content_type.model_class()
        if model is None or model not in [item.model for item in reviewable()]:
            raise Http404
        opts = content.publishing_model(model)._meta
        if not request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            raise PermissionDenied
        return content_type, get_object_or_404(model._default_manager.all(), pk=pk)

    def due_view(self, request):
        """Items due for review, filtered by owner, team, type and section."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.GET
        owner = team = model = section = None
        if (owner_pk := _number(params.get("owner"))) is not None:
            owner = get_user_model().objects.filter(pk=owner_pk).first()
        if (team_pk := _number(params.get("team"))) is not None:
            team = Group.objects.filter(pk=team_pk).first()
        types = {ContentType.objects.get_for_model(item.model).pk: item.model for item in reviewable()}
        if (type_pk := _number(params.get("type"))) is not None:
            model = types.get(type_pk)
        trees = content.section_trees()
        key, _sep, node = params.get("section", "").partition(":")
        if key in trees and _number(node) is not None:
            root = trees[key].model._default_manager.filter(pk=int(node)).first()
            section = (key, root) if root is not None else None
        invalid = any(
            (
                params.get("owner") and owner is None,
                params.get("team") and team is None,
                params.get("type") and model is None,
                params.get("section") and section is None,
            )
        )
        rows = [] if invalid else due_items(owner=owner, team=team, model=model, section=section)
        sections = [
            (f"{key}:{node.pk}", f"{tree.model._meta.verbose_name}: {node}")
            for key, tree in trees.items()
            for node in tree.model._default_manager.filter(level=0).order_by("pk")[:50]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Content that needs a review"),
            "opts": self.model._meta,
            "rows": rows,
            "owners": get_user_model().objects.filter(owned_reviews__isnull=False).distinct().order_by("username"),
            "teams": Group.objects.filter(owned_reviews__isnull=False).distinct().order_by("name"),
            "types": [(pk, model._meta.verbose_name_plural) for pk, model in types.items()],
            "sections": sections,
            "selected": {name: params.get(name, "") for name in ("owner", "team", "type", "section")},
        }
        return TemplateResponse(request, "reviews/admin/due.html", context)

    @method_decorator(require_POST)
    def mark_view(self, request, type_pk, pk):
        """Reviewed, still right, with or without changes: recorded, and the next date set."""
        _content_type, obj = self._target(request, type_pk, pk)
        review = mark_reviewed(obj, request.user, note=request.POST.get("note", "")[:300])
        self.message_user(
            request,
            _("“%(title)s” is marked reviewed; next review by %(date)s.")
            % {"title": getattr(obj, "title", obj), "date": review.review_by},
            messages.SUCCESS,
        )
        back = request.POST.get("next", "")
        if not back.startswith(reverse("admin:reviews_contentreview_due")):
            back = reverse("admin:reviews_contentreview_due")
        return redirect(back)

    def owner_view(self, request, type_pk, pk):
        """Set the owner and date of an item: its row, made when first needed."""
        content_type, obj = self._target(request, type_pk, pk)
        review, _created = ContentReview.objects.get_or_create(content_type=content_type, object_id=obj.pk)
        return redirect(reverse("admin:reviews_contentreview_change", args=[review.pk]))
