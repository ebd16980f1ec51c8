from modeltranslation.translator import TranslationOptions, register

from regions.models import Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")
