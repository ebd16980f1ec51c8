from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from publications.models import LANGUAGE_CHOICES, Publication, PublicationSeries

ANY = [("", _("All"))]


class PublicationFilterForm(forms.Form):
    """The listing's filters. Choices come from published content; anything else is refused.

    A refused value is reported next to its filter and ignored: the page still answers.
    """

    series = forms.ChoiceField(label=_("Series"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + LANGUAGE_CHOICES)

    def __init__(self, data, *, published):
        super().__init__(data)
        from regions.models import Region
        from themes.models import Theme

        series = PublicationSeries.objects.filter(Exists(published.filter(series=OuterRef("pk"))))
        self.fields["series"].choices = ANY + list(series.values_list("slug", "title"))
        years = published.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = ANY + [(str(year), str(year)) for year in years]
        for name, model, relation in (("theme", Theme, "themes"), ("region", Region, "regions")):
            used = Exists(published.filter(**{relation: OuterRef("pk")}))
            rows = model.objects.published().filter(used).values_list("slug", "title")
            self.fields[name].choices = ANY + list(dict(rows).items())  # one choice per slug

    def apply(self, queryset):
        """``queryset`` narrowed by every valid filter."""
        self.is_valid()  # a refused value is left out of cleaned_data; the valid ones still apply
        values = self.cleaned_data
        if values.get("series"):
            queryset = queryset.filter(series__slug=values["series"])
        if values.get("year"):
            queryset = queryset.filter(year=values["year"])
        if values.get("language"):
            queryset = queryset.filter(language=values["language"])
        for name, relation in (("theme", "themes"), ("region", "regions")):
            if values.get(name):
                tagged = Publication.objects.filter(**{f"{relation}__slug": values[name]}).values("pk")
                queryset = queryset.filter(pk__in=tagged)
        return queryset

    @property
    def active(self):
        self.is_valid()
        return any(self.cleaned_data.get(name) for name in self.fields)
