"""The editors' account pages in the admin: password reset, two-factor sign-in, sessions.

Django's own password-reset views (with the admin's templates), django-otp for authenticator
apps (TOTP) and recovery codes, django-otp-webauthn for passkeys. Everything but the passkey
buttons works without JavaScript.
"""

import base64
from functools import wraps

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.html import mark_safe
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.utils import get_credential_model
from django_otp_webauthn.views import CompleteCredentialRegistrationView

from iomsite import ratelimit
from iomsite.accounts.forms import CodeForm, DeviceNameForm, StaffPasswordResetForm
from iomsite.accounts.models import Session
from iomsite.accounts.sessions import HAS_FACTOR
from iomsite.accounts.signals import end_sessions
from iomsite.accounts.twofactor import SETUP, VERIFY, two_factor_required
from iomsite.security import client_ip

RECOVERY_CODES = 10
RESETS_PER_IP, RESETS_PER_ADDRESS = 10, 3  # an hour


def staff_page(view):
    """Signed-in staff only (pending sessions included: the middleware decides what they reach)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(csrf_protect(wrapped))


def next_url(request, default=None):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default or reverse("admin:index")


def admin_context(request, title, **extra):
    from django.contrib import admin

    return {**admin.site.each_context(request), "title": title, **extra}


# ----------------------------------------------------------------------------- password reset


class AdminStyleMixin:
    """Django's auth views with the admin's header and links (the admin's registration/ templates)."""

    def get_context_data(self, **kwargs):
        from django.contrib import admin

        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class StaffPasswordResetView(AdminStyleMixin, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        within = ratelimit.hit("reset-ip", client_ip(self.request), RESETS_PER_IP, 3600, durable=True)
        within = ratelimit.hit("reset-address", email, RESETS_PER_ADDRESS, 3600, durable=True) and within
        if not within:
            return HttpResponseRedirect(self.get_success_url())  # the same answer; nothing is sent
        return super().form_valid(form)


class StaffPasswordResetDoneView(AdminStyleMixin, auth_views.PasswordResetDoneView):
    pass


class StaffPasswordResetConfirmView(AdminStyleMixin, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class StaffPasswordResetCompleteView(AdminStyleMixin, auth_views.PasswordResetCompleteView):
    pass


# ----------------------------------------------------------------------------- signing in


@staff_page
def verify(request):
    """The second step of signing in: a code from the authenticator app, a recovery code, or a passkey."""
    if getattr(request, "two_factor_step", None) != VERIFY:
        return HttpResponseRedirect(next_url(request))
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code: %(count)d is left. Make new ones on your account page.",
                        "You signed in with a recovery code: %(count)d are left. Make new ones on your account page.",
                        left,
                    )
                    % {"count": left},
                )
            return HttpResponseRedirect(next_url(request))
        form.add_error(
            "code", _("This code is not valid, or it was used already. Wait for the next one and try again.")
        )
    has_passkey = get_credential_model().objects.filter(user=user, confirmed=True).exists()
    context = admin_context(request, _("Two-step sign-in"), form=form, has_passkey=has_passkey, next=next_url(request))
    return render(request, "admin/account/verify.html", context)


# ----------------------------------------------------------------------------- account page


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, name="recovery").first()


@staff_page
def security(request):
    user = request.user
    setup_only = getattr(request, "two_factor_step", None) == SETUP
    apps = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")
    passkeys = get_credential_model().objects.filter(user=user, confirmed=True).order_by("pk")
    recovery = recovery_device(user)
    sessions = Session.objects.filter(user=user).order_by("-last_seen")
    context = admin_context(
        request,
        _("Account security"),
        setup_only=setup_only,
        required=two_factor_required(user),
        apps=apps,
        passkeys=passkeys,
        recovery_left=recovery.token_set.count() if recovery else 0,
        has_second_factor=bool(apps) or bool(passkeys),
        sessions=sessions if not setup_only else [],
        current_session=request.session.session_key,
        next=next_url(request, ""),
    )
    return render(request, "admin/account/security.html", context)


def make_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _number in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def show_recovery_codes(request, codes):
    context = admin_context(request, _("Your recovery codes"), codes=codes)
    return render(request, "admin/account/recovery_codes.html", context)


@staff_page
@require_POST
def recovery_codes(request):
    """New recovery codes, shown once (the old ones stop working)."""
    if not (request.user.is_verified() or not django_otp.user_has_device(request.user)):
        return redirect("accounts:security")
    if not django_otp.user_has_device(request.user, confirmed=True):
        messages.error(request, _("Add an authenticator app or a passkey first; recovery codes stand in for them."))
        return redirect("accounts:security")
    return show_recovery_codes(request, make_recovery_codes(request.user))


def turned_on(request, device):
    """A first second factor: this session counts as verified, every other session ends."""
    ended = end_sessions(request.user, keep=request.session.session_key)
    if not request.user.is_verified():
        django_otp.login(request, device)
    request.session[HAS_FACTOR] = True
    return ended


@staff_page
def totp_setup(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    name_form = DeviceNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and name_form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            first = not django_otp.user_has_device(user, confirmed=True)
            device.name = name_form.cleaned_data["name"]
            device.confirmed = True
            device.save()
            ended = turned_on(request, device) if first else 0
            if first:
                messages.success(
                    request,
                    ngettext(
                        "Two-step sign-in is on. %(count)d other session was signed out.",
                        "Two-step sign-in is on. %(count)d other sessions were signed out.",
                        ended,
                    )
                    % {"count": ended},
                )
            if recovery_device(user) is None:
                return show_recovery_codes(request, make_recovery_codes(user))
            messages.success(request, _("The authenticator app was added."))
            return redirect("accounts:security")
        form.add_error("code", _("This code does not match. Check the time on your phone and try the next code."))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("QR code for your authenticator app"))
    context = admin_context(
        request,
        _("Add an authenticator app"),
        form=form,
        name_form=name_form,
        qr=mark_safe(qr),
        secret=" ".join(secret[index : index + 4] for index in range(0, len(secret), 4)),
    )
    return render(request, "admin/account/totp_setup.html", context)


@staff_page
@require_POST
def remove_device(request, kind, pk):
    models = {"app": TOTPDevice, "passkey": get_credential_model()}
    if kind not in models:
        return redirect("accounts:security")
    device = get_object_or_404(models[kind], user=request.user, pk=pk, confirmed=True)
    others = [d for d in django_otp.devices_for_user(request.user) if d != device and not isinstance(d, StaticDevice)]
    if not others and two_factor_required(request.user):
        messages.error(
            request, _("Your role needs two-step sign-in: add another app or passkey before removing this one.")
        )
        return redirect("accounts:security")
    device.delete()
    if not others:
        StaticDevice.objects.filter(user=request.user).delete()  # recovery codes of nothing
        request.session[HAS_FACTOR] = False
    messages.success(request, _("Removed."))
    return redirect("accounts:security")


@staff_page
@require_POST
def end_session(request):
    user = request.user
    if request.POST.get("all_others"):
        ended = end_sessions(user, keep=request.session.session_key)
    else:
        key = request.POST.get("session", "")
        ended = 0
        if key and key != request.session.session_key:
            ended = Session.objects.filter(user=user, session_key=key).delete()[0]
    messages.success(
        request,
        ngettext("%(count)d session was signed out.", "%(count)d sessions were signed out.", ended) % {"count": ended},
    )
    return redirect("accounts:security")


@method_decorator(never_cache, name="dispatch")
class CompletePasskeyRegistration(CompleteCredentialRegistrationView):
    """django-otp-webauthn's view; a first second factor also ends the account's other sessions."""

    def post(self, *args, **kwargs):
        first = not django_otp.user_has_device(self.request.user, confirmed=True)
        response = super().post(*args, **kwargs)
        if first and response.status_code == 200:
            end_sessions(self.request.user, keep=self.request.session.session_key)
            self.request.session[HAS_FACTOR] = True
        return response
