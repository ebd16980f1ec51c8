from modeltranslation.translator import TranslationOptions, register

from publications.news.models import Article, Kind


@register(Kind)
class KindTranslation(TranslationOptions):
    fields = ("title",)


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "standfirst", "body", "body_text")
