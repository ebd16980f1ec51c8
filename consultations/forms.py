"""The registration form of an event: the optional fields are the ones its editor turned on."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address: your registration counts once you follow it."),
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.org.")},
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Region.objects.none(), required=False, empty_label=_("(choose a country)")
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the organisers should arrange for you to take part: only they see it."),
    )
    # A field people never see: bots that fill every input reveal themselves.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if not event.ask_organisation:
            del self.fields["organisation"]
        if event.ask_country:
            self.fields["country"].queryset = Region.objects.published().filter(kind="country").order_by("title")
        else:
            del self.fields["country"]
        if not event.ask_accessibility:
            del self.fields["accessibility_needs"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
