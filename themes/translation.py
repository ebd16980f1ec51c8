from modeltranslation.translator import TranslationOptions, register

from themes.models import FeaturedProject, Infographic, Theme, ThemeLink, Video


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")


@register(Infographic)
class InfographicTranslation(TranslationOptions):
    fields = ("caption", "credit")


@register(FeaturedProject)
class FeaturedProjectTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(ThemeLink)
class ThemeLinkTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Video)
class VideoTranslation(TranslationOptions):
    fields = ("title", "summary")
