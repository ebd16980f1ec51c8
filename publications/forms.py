import re

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from publications.models import LANGUAGE_CHOICES, Publication, PublicationSeries

ANY = [("", _("All"))]
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class PublicationFilterForm(forms.Form):
    """The listing's filters. Choices come from published content; anything else is refused.

    Themes and regions offer the top of their trees (main topics; regions and sub-regions)
    and match publications tagged with the chosen node or anything under it. A published
    sub-topic or country (from an older link) is still accepted. A refused value is
    reported next to its filter and ignored: the page still answers.
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
        # Main topics, and the world's regions and sub-regions (not the countries), that have
        # publications on them or on anything under them.
        tops = {"theme": Q(level=0), "region": Q(kind__in=[Region.Kind.REGION, Region.Kind.SUBREGION])}
        for name, model, relation in (("theme", Theme, "themes"), ("region", Region, "regions")):
            on_it_or_under = {
                f"{relation}__tree_id": OuterRef("tree_id"),
                f"{relation}__lft__gte": OuterRef("lft"),
                f"{relation}__rght__lte": OuterRef("rght"),
            }
            used = Exists(published.filter(**on_it_or_under))
            rows = model.objects.published().filter(tops[name], used).values_list("slug", "title", "level")
            choices = {slug: "\u00a0\u00a0\u00a0" * level + title for slug, title, level in rows}  # one per slug
            value = self.data.get(name)
            if value and value not in choices and SLUG.fullmatch(value):
                # An older link to a sub-topic or a country still filters, and shows what it is.
                choices.update(model.objects.published().filter(slug=value).values_list("slug", "title")[:1])
            self.fields[name].choices = ANY + list(choices.items())

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
                # Tagged with the chosen node or anything under it (its MPTT range), in one query.
                model = Publication._meta.get_field(relation).related_model
                chosen = model.objects.published().filter(slug=values[name])
                above = {"tree_id": OuterRef("tree_id"), "lft__lte": OuterRef("lft"), "rght__gte": OuterRef("rght")}
                within = model.objects.filter(Exists(chosen.filter(**above)))
                tagged = Publication.objects.filter(**{f"{relation}__in": within}).values("pk")
                queryset = queryset.filter(pk__in=tagged)
        return queryset

    @property
    def active(self):
        self.is_valid()
        return any(self.cleaned_data.get(name) for name in self.fields)
