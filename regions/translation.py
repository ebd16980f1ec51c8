from modeltranslation.translator import TranslationOptions, register

from regions.models import KeyFigure, Office, Region, Trend


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")


@register(KeyFigure)
class KeyFigureTranslation(TranslationOptions):
    fields = ("label", "source")


@register(Trend)
class TrendTranslation(TranslationOptions):
    fields = ("heading", "body", "body_text")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("name", "summary")
