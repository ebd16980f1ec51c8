from django.contrib import admin

from iomsite.accounts.models import PasswordOnlyAccount


@admin.register(PasswordOnlyAccount)
class PasswordOnlyAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "reason")
    search_fields = ("user__username", "reason")
    autocomplete_fields = ("user",)

    def has_module_permission(self, request):
        return request.user.is_superuser  # exemptions from two-step sign-in are a superuser's call

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )
