import logging

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import FormView

from iomsite.newsletter import limits
from iomsite.newsletter.forms import SignupForm
from iomsite.newsletter.mail import send_signup_mail
from iomsite.newsletter.models import Subscriber
from iomsite.newsletter.tokens import ExpiredToken, InvalidToken, read_confirm_token, read_unsubscribe_token

logger = logging.getLogger(__name__)


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

    def form_valid(self, form):
        if not limits.ip_allowed(self.request):
            # Helpful, and reveals nothing: the limit counts requests, whatever the address.
            return render(self.request, "newsletter/too_many.html", status=429)
        data = form.cleaned_data
        if not form.is_bot and limits.address_allowed(data["email"]):
            subscriber, kind = Subscriber.objects.sign_up(data["email"], data["language"], data["topics"])
            try:
                send_signup_mail(subscriber, kind, self.request)
            except Exception:  # the answer must not differ, and a mail outage is not a visitor's 500
                logger.exception("Newsletter: could not send the %s mail", kind)
        # Over the per-address limit, that address already has its mails: answer as usual.
        return redirect("newsletter:check_inbox")


@require_safe
def check_inbox(request):
    return render(request, "newsletter/check_inbox.html")


def _bad_link(request, error):
    template = "newsletter/link_expired.html" if isinstance(error, ExpiredToken) else "newsletter/link_invalid.html"
    return render(request, template, status=400)


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
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber, "action": request.path})


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
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(
        request,
        "newsletter/unsubscribe.html",
        {"subscriber": subscriber, "action": request.path, "signup_url": reverse("newsletter:signup")},
    )
