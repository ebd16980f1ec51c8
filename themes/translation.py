from modeltranslation.translator import TranslationOptions, register

from themes.models import Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")
