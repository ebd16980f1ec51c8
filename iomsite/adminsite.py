"""The admin site every ModelAdmin is registered on, and the guards that hold for all of them.

``IomsiteAdminSite`` is Django's default site here (``IomsiteAdminConfig.default_site``), so
``admin.site`` and ``@admin.register`` are unchanged for apps and third-party packages. Every
admin registered on it gets ``HardenedAdminMixin`` in front of its own class, so no admin
(ours, Django's user and group admins, axes', django-otp's) can forget it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from js_asset import Media


class HardenedAdminMixin:
    """What every admin of the site does, whatever else it does."""

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script: it runs under the CSP
        # only with this response's nonce (django-csp adds it to the header once read).
        media = context.get("media")
        if media is not None:
            context["media"] = Media.from_media(media, nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)


def hardened(admin_class):
    """``admin_class`` with ``HardenedAdminMixin`` first in its bases (the same class if it has it)."""
    if issubclass(admin_class, HardenedAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (HardenedAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


class IomsiteAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, hardened(admin_class or admin.ModelAdmin), **options)


class IomsiteAdminConfig(AdminConfig):
    default_site = "iomsite.adminsite.IomsiteAdminSite"
