from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _


class StaffPasswordResetForm(PasswordResetForm):
    """Reset links go to active staff accounts with a password only; the answer never says which."""

    def get_users(self, email):
        email_field = get_user_model().get_email_field_name()
        users = get_user_model()._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True, "is_staff": True}
        )
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Django's message, sent by the task worker (iomsite.mail): the answer never waits for the mail server."""
        from iomsite.mail import queue_mail

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject, loader.render_to_string(email_template_name, context), from_email, [to_email]
        )
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        queue_mail(message)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off", "spellcheck": "false"}
        ),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


class DeviceNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64, initial=_("Authenticator app"))
