from modeltranslation.translator import TranslationOptions, register

from tests.notices.models import Notice


@register(Notice)
class NoticeTranslation(TranslationOptions):
    fields = ("title", "body")
