"""The "Report Abuse" form: a report is stored for Site managers and the sender gets a confirmation.

Spam protection as the newsletter's: a hidden field bots fill in (their report is dropped, the
answer is the same) and a limit of reports per IP and hour, counted in the shared cache.
"""

import logging

from django import forms
from django.core.mail import EmailMessage
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from iomsite.mail import queue_mail
from iomsite.models import AbuseReport, SiteSettings
from iomsite.newsletter import limits

logger = logging.getLogger("iomsite.reports")
PER_IP = 5  # reports an hour from one address


class AbuseReportForm(forms.ModelForm):
    # A field people never see: bots that fill every input reveal themselves.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))

    class Meta:
        model = AbuseReport
        fields = ("what", "where_and_when", "name", "email")
        labels = {
            "what": gettext_lazy("What happened?"),
            "where_and_when": gettext_lazy("Where and when (optional)"),
            "name": gettext_lazy("Your name (optional)"),
            "email": gettext_lazy("Your e-mail address (optional, for a confirmation and questions)"),
        }
        help_texts = {"what": gettext_lazy("Say who was involved if you can. You may report anonymously.")}
        widgets = {"what": forms.Textarea(attrs={"rows": 8, "maxlength": 10000})}

    def clean_what(self):
        what = self.cleaned_data["what"].strip()
        if len(what) > 10000:
            raise forms.ValidationError(_("Please keep the report under 10,000 characters."))
        return what

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))


def confirmation(report):
    site = SiteSettings.load()
    body = _(
        "Thank you for your report, received on %(date)s. It will be read in confidence by the staff who handle "
        "reports of abuse, fraud and misconduct. If they need to know more, they will write to this address.\n\n"
        "%(site)s"
    ) % {"date": report.created_at.date().isoformat(), "site": site.name}
    return EmailMessage(_("We received your report"), body, to=[report.email])


@never_cache
def report_abuse(request):
    if request.method == "POST":
        form = AbuseReportForm(request.POST)
        if form.is_valid():
            if not limits.hit("report-ip", limits.client_ip(request), PER_IP):
                return render(request, "iomsite/report_abuse.html", {"form": form, "too_many": True}, status=429)
            if not form.is_bot:
                report = form.save(commit=False)
                report.language = translation.get_language()
                report.save()
                if report.email:
                    queue_mail(confirmation(report))
            return redirect(f"{request.path}?sent=1")
    else:
        form = AbuseReportForm()
    context = {"form": form, "sent": request.GET.get("sent") == "1" and request.method == "GET"}
    return render(request, "iomsite/report_abuse.html", context)
