from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Content that stays current: an owner and a "review by" date for any content item (decision 023)."""

    name = "iomsite.reviews"
    label = "reviews"
    verbose_name = _("Content reviews")
    default_auto_field = "django.db.models.BigAutoField"
