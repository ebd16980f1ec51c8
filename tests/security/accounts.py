"""Helpers for the account tests: editors in their roles, signing in through the forms."""

import base64
import re

from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-editor-password-0191"


def make_editor(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(client, username, password=PASSWORD, next_url="/admin/"):
    return client.post(f"/admin/login/?next={next_url}", {"username": username, "password": password, "next": next_url})


def current_code(device):
    """The six digits the editor's phone shows for ``device`` now (time-machine moves "now")."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    return f"{clock.token():0{device.digits}d}"


def turn_on_app(client):
    """Through the pages: open the setup page, read the key as the phone would, type the code."""
    page = client.get("/admin/account/authenticator-app/")
    assert page.status_code == 200
    key = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    assert key.replace(" ", "") == base64.b32encode(device.bin_key).decode()
    response = client.post("/admin/account/authenticator-app/", {"name": "Work phone", "code": current_code(device)})
    device.refresh_from_db()
    return response, device
