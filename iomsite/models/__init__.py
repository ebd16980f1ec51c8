from iomsite.models.base import (
    PublishableModel,
    PublishableQuerySet,
    Status,
    TimeStampedModel,
    TreePublishableQuerySet,
    live_q,
)
from iomsite.models.media import Document, Image
from iomsite.models.redirects import NotFound, Redirect
from iomsite.models.reports import AbuseReport
from iomsite.models.site import Menu, MenuItem, Page, SiteSettings
from iomsite.models.translations import TranslationState, TranslationStatus

__all__ = [
    "AbuseReport",
    "Document",
    "Image",
    "Menu",
    "MenuItem",
    "NotFound",
    "Page",
    "PublishableModel",
    "PublishableQuerySet",
    "Redirect",
    "SiteSettings",
    "Status",
    "TimeStampedModel",
    "TranslationState",
    "TranslationStatus",
    "TreePublishableQuerySet",
    "live_q",
]
