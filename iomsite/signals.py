"""Cache invalidation for the site chrome."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from iomsite.models import SiteSettings


@receiver([post_save, post_delete], sender=SiteSettings)
def settings_changed(**kwargs):
    cache.delete_many([f"{SiteSettings.CACHE_KEY}:{code}" for code in ("en", "fr", "es")])
