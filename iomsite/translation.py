from modeltranslation.translator import TranslationOptions, register

from iomsite.models import Image, MenuItem, Page, SiteSettings


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")


@register(MenuItem)
class MenuItemTranslation(TranslationOptions):
    fields = ("title",)


@register(SiteSettings)
class SiteSettingsTranslation(TranslationOptions):
    fields = ("name", "tagline", "address")


@register(Image)
class ImageTranslation(TranslationOptions):
    fields = ("alt_text", "caption")
