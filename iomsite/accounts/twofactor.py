"""Who must sign in with a second factor, and what a session that has not given it may do.

Two-factor sign-in is open to every editor and required (``IOMSITE_TWO_FACTOR_ROLES``) for
the roles that can publish or manage accounts, and for superusers. An account listed in
``PasswordOnlyAccount`` (the demo logins) is exempt. A session that passed the password but
not the second factor is *pending*: it may only finish signing in (or set up a factor when
it has none and must) and sign out. Everywhere else it is anonymous: the admin sends it to
the verification page, and public pages show it no drafts.
"""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse

from iomsite.accounts.sessions import HAS_FACTOR, SEEN

VERIFY, SETUP = "verify", "setup"
SEEN_EVERY = 300  # seconds: how often a session's "last seen" is written


def two_factor_required(user):
    roles = tuple(getattr(settings, "IOMSITE_TWO_FACTOR_ROLES", ()))
    if not roles or not user.is_staff:
        return False
    from iomsite.accounts.models import PasswordOnlyAccount

    if PasswordOnlyAccount.objects.filter(user=user).exists():
        return False
    return user.is_superuser or user.groups.filter(name__in=roles).exists()


def has_second_factor(request):
    """Whether the session's user has a confirmed device, noted in the session (no query per request).

    Safe to keep for the session's life: a first device ends every other session, and the
    session that added it is verified already.
    """
    if HAS_FACTOR not in request.session:
        request.session[HAS_FACTOR] = django_otp.user_has_device(request.user, confirmed=True)
    return request.session[HAS_FACTOR]


def pending_step(request):
    """None when the session may act as its user; VERIFY or SETUP while a second factor is missing."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if has_second_factor(request):
        return VERIFY
    if two_factor_required(user):
        return SETUP
    return None


def allowed_while_pending(step):
    admin = reverse("admin:index")
    common = {reverse("admin:logout"), reverse("admin:jsi18n"), reverse("otp_webauthn:js-i18n-catalog")}
    if step == VERIFY:
        return common | {
            reverse("accounts:verify"),
            reverse("otp_webauthn:credential-authentication-begin"),
            reverse("otp_webauthn:credential-authentication-complete"),
        }
    return common | {
        f"{admin}account/security/",
        reverse("accounts:totp_setup"),
        reverse("otp_webauthn:credential-registration-begin"),
        reverse("otp_webauthn:credential-registration-complete"),
    }


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: holds pending sessions at the door, notes when sessions are seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # visitors: no session, no query
        user = request.user
        step = pending_step(request) if user.is_authenticated and user.is_staff else None
        if step is not None:
            request.two_factor_step = step
            if request.path not in allowed_while_pending(step):
                if request.path.startswith(reverse("admin:index")):
                    target = reverse("accounts:verify") if step == VERIFY else reverse("accounts:security")
                    return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
                request.user = AnonymousUser()  # no previews, nothing of the account, until signed in fully
        elif user.is_authenticated:
            self.note_seen(request)
        return self.get_response(request)

    @staticmethod
    def note_seen(request):
        import time

        now = int(time.time())
        if now - int(request.session.get(SEEN, 0)) >= SEEN_EVERY:
            request.session[SEEN] = now  # saves the session: its row's last_seen moves on
