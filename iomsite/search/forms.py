from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """Parsed, never passed through: choices are validated, the query is bounded."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=200, strip=True)
    type = forms.ChoiceField(label=_("Type"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, data, *, kinds, facets):
        super().__init__(data)
        self.fields["type"].choices = [("", _("All types")), *kinds]
        self.facet_names = []
        for facet, choices in facets:
            self.fields[facet.name] = forms.TypedChoiceField(
                label=facet.label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("All")), *choices],
            )
            self.facet_names.append(facet.name)

    def clean_q(self):
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise forms.ValidationError(_("The search contains characters that are not allowed."))
        return " ".join(value.split())
