from django.conf import settings as django_settings
from django.utils.functional import SimpleLazyObject

from iomsite.menus import Menus
from iomsite.models import SiteSettings


def site(request):
    return {
        "site": SimpleLazyObject(SiteSettings.load),
        "menus": Menus(),
        "LANGUAGES": django_settings.LANGUAGES,
    }
