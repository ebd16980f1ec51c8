from modeltranslation.translator import TranslationOptions, register

from consultations.models import ConsultationEvent, ConsultationSeries, ConsultationsOverview, Partner


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name",)


@register(ConsultationsOverview)
class ConsultationsOverviewTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_text")


@register(ConsultationSeries)
class ConsultationSeriesTranslation(TranslationOptions):
    fields = ("title", "summary", "overview", "overview_text")


@register(ConsultationEvent)
class ConsultationEventTranslation(TranslationOptions):
    fields = ("title", "city", "theme", "summary", "body", "body_text")
