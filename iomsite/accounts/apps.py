from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "iomsite.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from iomsite.accounts import signals

        signals.connect()
