from modeltranslation.translator import TranslationOptions, register

from publications.models import Publication, PublicationSeries, TocEntry


@register(PublicationSeries)
class PublicationSeriesTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")


@register(TocEntry)
class TocEntryTranslation(TranslationOptions):
    fields = ("number", "title", "summary")
