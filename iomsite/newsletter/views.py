import logging

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import FormView

from iomsite.newsletter import limits
from iomsite.newsletter.forms import ManageForm, SignupForm
from iomsite.newsletter.mail import send_signup_mail
from iomsite.newsletter.models import Issue, Subscriber
from iomsite.newsletter.sending import resolve_items
from iomsite.newsletter.tokens import ExpiredToken, InvalidToken, read_confirm_token, read_unsubscribe_token
from iomsite.pagination import paginate

logger = logging.getLogger(__name__)

# Title and description of each page: (h1 and <title>, lead paragraph and meta description).
PAGES = {
    "signup": (
        _("Subscribe to our newsletter"),
        _("News, reports and events on migration from around the world, in English, French or Spanish."),
    ),
    "check_inbox": (_("Check your inbox"), _("If the address can receive the newsletter, an e-mail is on its way.")),
    "too_many": (
        _("Too many sign-up requests"),
        _("We received many sign-up requests from your network in the last hour. Please try again later."),
    ),
    "confirm": (_("Confirm your subscription"), ""),
    "confirmed": (_("Your subscription is confirmed"), ""),
    "unsubscribe": (_("Unsubscribe from the newsletter"), ""),
    "unsubscribed": (_("You are unsubscribed"), ""),
    "link_expired": (
        _("This link has expired"),
        _("Confirmation links are valid for three days. Sign up again and we will send you a new one."),
    ),
    "link_invalid": (
        _("This link is not valid"),
        _("The link may be incomplete or altered. Copy the whole link from the e-mail, or sign up again."),
    ),
    "manage": (_("Your newsletter choices"), ""),
    "archive": (_("Newsletter archive"), _("Every issue of the newsletter sent in this language, newest first.")),
}


PRIVACY_PAGE = "privacy"


def page_context(name):
    title, description = PAGES[name]
    crumbs = [(_("Newsletter"), reverse("newsletter:signup"))]
    if name != "signup":
        crumbs.append((title, None))
    public = name in ("signup", "archive")
    return {"page_title": title, "page_description": description, "crumbs": crumbs, "noindex": not public}


def render_page(request, name, context=None, status=200):
    return render(request, f"newsletter/{name}.html", {**page_context(name), **(context or {})}, status=status)


@method_decorator(never_cache, name="dispatch")
class SignupView(FormView):
    """The full form, prefilled from ``?email=`` (the cacheable footer and home forms send GET here).

    Whatever the address's state, a valid POST ends on the same "check your inbox" page.
    """

    form_class = SignupForm
    template_name = "newsletter/signup.html"
    http_method_names = ["get", "post", "head", "options"]

    def get_initial(self):
        initial = {"language": translation.get_language()}
        email = self.request.GET.get("email", "")
        if email and len(email) <= 254:
            initial["email"] = email.strip()
        return initial

    def get_context_data(self, **kwargs):
        from iomsite.models import Page

        # The privacy page, when a live basic page with this slug exists (the demo has one).
        privacy = Page.objects.published().filter(slug=PRIVACY_PAGE).only("slug").first()
        return {**super().get_context_data(**kwargs), **page_context("signup"), "privacy_page": privacy}

    def form_valid(self, form):
        if not limits.ip_allowed(self.request):
            # Helpful, and reveals nothing: the limit counts requests, whatever the address.
            return render_page(self.request, "too_many", status=429)
        data = form.cleaned_data
        if not form.is_bot:
            subscriber, kind = Subscriber.objects.sign_up(data["email"], data["language"], data["topics"])
            # One sign-up mail an hour per address, whoever asks from wherever: the answer is the same.
            if subscriber.claim_signup_mail():
                try:
                    send_signup_mail(subscriber, kind, self.request)
                except Exception:  # the answer must not differ, and a mail outage is not a visitor's 500
                    subscriber.release_signup_mail()
                    logger.exception("Newsletter: could not send the %s mail", kind)
        return redirect("newsletter:check_inbox")


@require_safe
def check_inbox(request):
    return render_page(request, "check_inbox")


def _bad_link(request, error):
    return render_page(request, "link_expired" if isinstance(error, ExpiredToken) else "link_invalid", status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: mail scanners that open links confirm nothing."""
    try:
        subscriber = read_confirm_token(token)
    except InvalidToken as error:
        return _bad_link(request, error)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        # The address left after this link was sent; only a new sign-up brings it back.
        return _bad_link(request, InvalidToken())
    if request.method == "POST":
        subscriber.confirm()
        return render_page(request, "confirmed", {"subscriber": subscriber})
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return render_page(request, "confirmed", {"subscriber": subscriber})
    return render_page(request, "confirm", {"subscriber": subscriber, "action": request.path})


# The signed token is the only credential and no session is involved, so CSRF protection
# adds nothing here, and mail providers' one-click unsubscribe (RFC 8058) POSTs without one.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = read_unsubscribe_token(token)
    except InvalidToken as error:
        return _bad_link(request, error)
    if request.method == "POST":
        subscriber.unsubscribe()
        return render_page(request, "unsubscribed", {"subscriber": subscriber})
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return render_page(request, "unsubscribed", {"subscriber": subscriber})
    return render_page(request, "unsubscribe", {"subscriber": subscriber, "action": request.path})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """The link in every issue: change the language and topics, with the same stable token as unsubscribing."""
    try:
        subscriber = read_unsubscribe_token(token)
    except InvalidToken as error:
        return _bad_link(request, error)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        return render_page(request, "unsubscribed", {"subscriber": subscriber})
    form = ManageForm(request.POST or None, initial={"language": subscriber.language, "topics": subscriber.topics})
    saved = False
    if request.method == "POST" and form.is_valid():
        subscriber.language = form.cleaned_data["language"]
        subscriber.topics = list(form.cleaned_data["topics"])
        subscriber.save(update_fields=["language", "topics"])
        saved = True
    unsubscribe_url = reverse("newsletter:unsubscribe", kwargs={"token": token})
    context = {"subscriber": subscriber, "form": form, "action": request.path, "saved": saved}
    return render_page(request, "manage", {**context, "unsubscribe_url": unsubscribe_url})


@require_safe
def archive(request):
    """The issues sent in the page's language, newest first."""
    issues = Issue.objects.filter(status=Issue.Status.SENT, language=translation.get_language()).order_by("-sent_at")
    page = paginate(request, issues.only("pk", "subject", "language", "sent_at"), 20)
    return render_page(request, "archive", {"page": page})


@require_safe
def issue(request, pk):
    issue = get_object_or_404(Issue, pk=pk, status=Issue.Status.SENT, language=translation.get_language())
    context = {**page_context("archive"), "issue": issue, "items": resolve_items(issue), "noindex": False}
    context["crumbs"] = [*context["crumbs"][:1], (_("Archive"), reverse("newsletter:archive")), (issue.subject, None)]
    return render(request, "newsletter/issue.html", context)
