import re

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from publications.news.models import Article, Kind

ANY = [("", _("All"))]
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class NewsFilterForm(forms.Form):
    """The news listing's (and its feed's) filters. Choices come from published content; anything else is refused.

    Themes offer the main topics, regions the world's regions and sub-regions; each matches
    articles tagged with the chosen node or anything under it. A published sub-topic or country
    (an older link, a region page's feed) still filters. A refused value is reported next to its
    filter and ignored: the page still answers.
    """

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, published):
        super().__init__(data)
        from regions.models import Region
        from themes.models import Theme

        kinds = Kind.objects.filter(Exists(published.filter(kind=OuterRef("pk"))))
        self.fields["kind"].choices = ANY + list(kinds.values_list("slug", "title"))
        years = [day.year for day in published.dates("date", "year", order="DESC")]
        self.fields["year"].choices = ANY + [(str(year), str(year)) for year in years]
        tops = {"theme": Q(level=0), "region": Q(kind__in=[Region.Kind.REGION, Region.Kind.SUBREGION])}
        for name, model, relation in (("theme", Theme, "themes"), ("region", Region, "regions")):
            on_it_or_under = {
                f"{relation}__tree_id": OuterRef("tree_id"),
                f"{relation}__lft__gte": OuterRef("lft"),
                f"{relation}__rght__lte": OuterRef("rght"),
            }
            used = Exists(published.filter(**on_it_or_under))
            rows = model.objects.published().filter(tops[name], used).values_list("slug", "title", "level")
            choices = {slug: "\u00a0\u00a0\u00a0" * level + title for slug, title, level in rows}
            value = self.data.get(name)
            if value and value not in choices and SLUG.fullmatch(value):
                choices.update(model.objects.published().filter(slug=value).values_list("slug", "title")[:1])
            self.fields[name].choices = ANY + list(choices.items())

    def apply(self, queryset):
        """``queryset`` narrowed by every valid filter."""
        self.is_valid()
        values = self.cleaned_data
        if values.get("kind"):
            queryset = queryset.filter(kind__slug=values["kind"])
        if values.get("year"):
            queryset = queryset.filter(date__year=values["year"])
        for name, relation in (("theme", "themes"), ("region", "regions")):
            if values.get(name):
                model = Article._meta.get_field(relation).related_model
                chosen = model.objects.published().filter(slug=values[name])
                above = {"tree_id": OuterRef("tree_id"), "lft__lte": OuterRef("lft"), "rght__gte": OuterRef("rght")}
                within = model.objects.filter(Exists(chosen.filter(**above)))
                queryset = queryset.filter(pk__in=Article.objects.filter(**{f"{relation}__in": within}).values("pk"))
        return queryset

    @property
    def active(self):
        self.is_valid()
        return any(self.cleaned_data.get(name) for name in self.fields)

    def chosen_title(self, name):
        """The label of the chosen value of a filter (for the feed's title), or ''."""
        self.is_valid()
        value = self.cleaned_data.get(name)
        return dict(self.fields[name].choices).get(value if name != "year" else str(value), "").strip() if value else ""
