from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from iomsite.content import topics_model
from iomsite.newsletter.models import normalize_email


def topic_choices():
    """The published top-level nodes of the topics tree as ``(slug, title)``; none when no app declares one.

    The tree is the one a content app declares with ``Content(..., topics=True)`` (``iomsite.content``).
    """
    model = topics_model()
    if model is None:
        return []
    return [(node.slug, node.title) for node in model.objects.published().filter(level=0).only("slug", "title")]


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, such as name@example.org."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the newsletter"),
        # Each language named in itself, so a reader finds theirs whatever the page language.
        choices=[(code, capfirst(get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES],
        widget=forms.RadioSelect,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics (optional)"),
        help_text=_("Choose none to hear about everything."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # A field people never see: bots that fill every input reveal themselves.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topic_choices()

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))


class ManageForm(forms.Form):
    """What a subscriber may change from the link in an issue: the language and the topics."""

    language = SignupForm.base_fields["language"]
    topics = SignupForm.base_fields["topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topic_choices()
