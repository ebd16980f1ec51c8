"""Sessions follow the account: a new password ends every session of the account, and the
browser a session was opened in is noted at sign-in."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save

from iomsite.accounts.sessions import DEVICE

BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
SYSTEMS = [
    ("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
    ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
]  # fmt: skip


def describe_browser(user_agent):
    """'Firefox on Windows': enough to tell sessions apart, without keeping the user agent."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    if "Headless" in user_agent:
        browser = f"{browser or 'Browser'} (headless)"
    described = " on ".join(part for part in (browser, system) if part)
    return re.sub(r"[^\w ()./-]", "", described)[:100]


def end_sessions(user, keep=None):
    """Sign ``user`` out everywhere, except the session ``keep`` (a session key) if given."""
    from iomsite.accounts.models import Session

    sessions = Session.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    return sessions.delete()[0]


def note_browser(sender, request, user, **kwargs):
    if hasattr(request, "session"):
        request.session[DEVICE] = describe_browser(request.headers.get("User-Agent", ""))


def remember_password(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return  # e.g. the last_login update at every sign-in
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = old is not None and old != instance.password


def end_sessions_after_password_change(sender, instance, raw=False, **kwargs):
    # Every session, this one included: Django's update_session_auth_hash() gives the
    # person who changed their own password a new session right after.
    if not raw and getattr(instance, "_password_changed", False):
        instance._password_changed = False
        end_sessions(instance)


def connect():
    user_model = get_user_model()
    user_logged_in.connect(note_browser, dispatch_uid="accounts-note-browser")
    pre_save.connect(remember_password, sender=user_model, dispatch_uid="accounts-remember-password")
    post_save.connect(end_sessions_after_password_change, sender=user_model, dispatch_uid="accounts-end-sessions")
