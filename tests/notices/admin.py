from django.contrib import admin

from iomsite.admin import PUBLISHING_FIELDSET, PublishableAdmin, state_badge
from tests.notices.models import Notice, NoticeLink


class NoticeLinkInline(admin.TabularInline):
    model = NoticeLink
    extra = 0


@admin.register(Notice)
class NoticeAdmin(PublishableAdmin):
    list_display = ("title", state_badge)
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = ((None, {"fields": ("title", "slug", "region", "body")}), PUBLISHING_FIELDSET)
    inlines = (NoticeLinkInline,)
