from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from mptt.forms import TreeNodeChoiceField

from iomsite.content import content_models, section_paths, section_trees
from iomsite.workflow.models import Activity, BrokenLink, Section
from iomsite.workflow.roles import EDITOR, PUBLISHER, ROLES, role_permissions
from iomsite.workflow.sections import get_scope

admin.site.unregister(Group)
admin.site.unregister(User)


class SectionForm(forms.ModelForm):
    """A section's name and its root in each section tree; the tree fields are added per declared tree."""

    class Meta:
        model = Section
        fields = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for tree, node in self.instance.roots().items():
                if tree in self.fields:
                    self.initial[tree] = node.pk

    def clean(self):
        cleaned_data = super().clean()
        if not any(cleaned_data.get(tree) for tree in section_trees()):
            raise forms.ValidationError(_("Choose where the section starts in at least one tree."))
        return cleaned_data

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.set_roots(*[node for tree in section_trees() if (node := self.cleaned_data.get(tree))])


def section_form():
    """``SectionForm`` with a root field for each section tree the installed apps declare."""
    fields = {}
    for tree, item in section_trees().items():
        fields[tree] = TreeNodeChoiceField(  # indented by depth, like the tree itself
            queryset=item.model._default_manager.all(),
            required=False,
            label=capfirst(item.model._meta.verbose_name),
            help_text=_("Members edit only this item, everything under it, and content linked to them."),
        )
    return type("SectionForm", (SectionForm,), fields)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    verbose_name_plural = _("Sections: members edit only content inside one of these (none = everything)")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = section_form()
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ("name", *section_trees())


def copy_role(role):
    def action(modeladmin, request, queryset):
        from django.contrib.auth.models import Permission

        wanted = role_permissions()[role]
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        for group in queryset.exclude(name__in=ROLES):
            group.permissions.add(*permissions)
        modeladmin.message_user(request, _("Permissions copied."), messages.SUCCESS)

    action.__name__ = f"copy_{role.lower().replace(' ', '_')}_permissions"
    action.short_description = _("Give the selected groups the permissions of the %(role)s role") % {"role": role}
    return action


@admin.register(Group)
class SectionedGroupAdmin(GroupAdmin):
    list_display = ("name", "member_count", "section_names")
    inlines = (SectionInline,)
    actions = (copy_role(EDITOR), copy_role(PUBLISHER))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("user", distinct=True)).prefetch_related("sections")

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, obj):
        return obj.members

    @admin.display(description=_("limited to"))
    def section_names(self, obj):
        return ", ".join(section.name for section in obj.sections.all()) or "—"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser or "permissions" not in form.base_fields:
            return form
        from django.contrib.auth.models import Permission

        # A site manager hands out only permissions they hold (and keeps what the group has).
        own = request.user.get_all_permissions()
        allowed = [
            permission.pk
            for permission in Permission.objects.select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in own
        ]
        current = list(obj.permissions.values_list("pk", flat=True)) if obj is not None else []
        field = form.base_fields["permissions"]
        field.queryset = field.queryset.filter(pk__in=[*allowed, *current])
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.name in ROLES:
            self.message_user(
                request,
                _(
                    "This is one of the three built-in roles: its permissions are reset to the standard set at "
                    "every update of the site. For a variation, make a new group."
                ),
                messages.INFO,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(User)
class ManagedUserAdmin(UserAdmin):
    """Site managers manage accounts, but cannot make superusers or hand out single permissions."""

    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active", "role_names")
    list_filter = ("is_staff", "is_active", "groups")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("groups"))
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "user_permissions")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(BrokenLink)
class BrokenLinkAdmin(admin.ModelAdmin):
    """The link checker's report: read-only, each row linking to the item to fix."""

    list_display = ("url", "where", "field", "problem", "kind", "checked_at")
    list_filter = ("kind", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("url", "object_repr")
    list_select_related = ("content_type",)

    @admin.display(description=_("found in"), ordering="object_repr")
    def where(self, obj):
        try:
            url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = get_scope(request.user)
        if scope is None:
            return queryset
        # Sectioned editors see the broken links of what they may edit only.
        visible = Q()
        hidden_types = []
        from django.contrib.contenttypes.models import ContentType

        for model, model_admin in admin.site._registry.items():
            if not section_paths(model) or not hasattr(model_admin, "scope_filter"):
                continue
            content_type = ContentType.objects.get_for_model(model)
            hidden_types.append(content_type.pk)
            allowed = model_admin.scope_filter(request, model._default_manager.all(), choosing=False)
            visible |= Q(content_type=content_type, object_id__in=allowed.values("pk"))
        return queryset.filter(visible | ~Q(content_type__in=hidden_types))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActivitySectionFilter(admin.SimpleListFilter):
    """Activity on content inside one section (where the item lies now)."""

    title = _("section")
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return [(str(section.pk), str(section)) for section in Section.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        section = Section.objects.filter(pk=self.value()).first()
        if section is None:
            return queryset.none()
        from iomsite.workflow.sections import Scope

        return queryset.filter(_visible_q(Scope([section.roots()])))


def _visible_q(scope):
    """Activity rows about objects inside ``scope`` (models without sections always count)."""
    from django.contrib.contenttypes.models import ContentType

    visible = Q()
    hidden_types = []
    for model in {item.model for item in content_models()}:
        paths = section_paths(model)
        if not paths:
            continue
        content_type = ContentType.objects.get_for_model(model)
        hidden_types.append(content_type.pk)
        inside = model._default_manager.filter(scope.object_q(model, paths)).values("pk")
        visible |= Q(content_type=content_type, object_id__in=inside)
    return visible | ~Q(content_type__in=hidden_types)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The site-wide activity log: who did what to which item, when, in words. Read-only."""

    list_display = ("when", "user", "action", "item", "content_type", "message")
    list_filter = (
        "action",
        ("user", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ActivitySectionFilter,
    )
    date_hierarchy = "when"
    search_fields = ("object_repr", "message", "user__username")
    list_select_related = ("content_type", "user")

    @admin.display(description=_("item"), ordering="object_repr")
    def item(self, obj):
        try:
            url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = get_scope(request.user)
        return queryset if scope is None else queryset.filter(_visible_q(scope))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
