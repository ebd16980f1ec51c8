"""Two-step sign-in, as editors go through it: required for publishers, site managers and
superusers (open to everyone), authenticator apps with their 30-second windows, recovery
codes, and a session that passed only the password is good for nothing else."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from iomsite.accounts.models import Session
from tests.factories import make_page
from tests.security.accounts import current_code, make_editor, sign_in, turn_on_app

pytestmark = pytest.mark.django_db

ROLES = ("Site manager", "Publisher")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.IOMSITE_TWO_FACTOR_ROLES = ROLES  # as in production (tests/conftest.py turns it off)


@pytest.fixture
def publisher(django_user_model):
    return make_editor(django_user_model, "pia", "Publisher")


def test_a_publisher_without_a_second_factor_must_set_one_up_first(client, publisher):
    response = sign_in(client, "pia")
    assert response.status_code == 302
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/account/security/?next=")
    page = client.get(admin["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your role needs two-step sign-in" in html
    assert "Where you are signed in" not in html and "Recovery codes" not in html  # nothing else yet
    for url in ("/admin/iomsite/page/", "/admin/auth/user/", "/admin/password_change/"):
        assert client.get(url)["Location"].startswith("/admin/account/security/"), url
    assert client.post("/admin/account/recovery-codes/").status_code == 302
    assert not StaticToken.objects.exists()


def test_a_pending_session_sees_no_drafts_on_the_site(client, publisher):
    make_page(slug="draft-page", published=False)
    sign_in(client, "pia")
    assert client.get("/en/draft-page/").status_code == 404


def test_turning_on_an_authenticator_app_through_the_pages(client, publisher):
    sign_in(client, "pia")
    response, device = turn_on_app(client)
    assert device.confirmed and device.name == "Work phone"
    html = response.content.decode()
    assert response.status_code == 200 and "shown only this once" in html
    codes = list(StaticToken.objects.filter(device__user=publisher).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in html for code in codes)
    assert client.get("/admin/").status_code == 200  # this session counts as verified
    page = client.get("/admin/account/security/").content.decode()
    assert "Work phone" in page and "You have 10 unused recovery codes" in page
    assert all(code not in page for code in codes)  # shown once, never again


def signed_up_publisher(django_user_model, client):
    make_editor(django_user_model, "pia", "Publisher")
    sign_in(client, "pia")
    _response, device = turn_on_app(client)
    client.post("/admin/logout/")
    return device


def test_signing_in_again_asks_for_a_code(client, django_user_model):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device = signed_up_publisher(django_user_model, client)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        sign_in(client, "pia")
        assert client.get("/admin/")["Location"] == "/admin/account/verify/?next=%2Fadmin%2F"
        wrong = client.post("/admin/account/verify/", {"code": "000000", "next": "/admin/"})
        assert wrong.status_code == 200 and "This code is not valid" in wrong.content.decode()
        assert client.get("/admin/").status_code == 302
    with time_machine.travel(start + timedelta(minutes=5, seconds=3), tick=False):  # a failure holds back 1 s
        right = client.post("/admin/account/verify/", {"code": current_code(device), "next": "/admin/"})
    assert (right.status_code, right["Location"]) == (302, "/admin/")
    with time_machine.travel(start + timedelta(minutes=5, seconds=5), tick=False):
        assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("typed_after", "accepted"),
    [(0, True), (14, True), (20, True), (40, True), (50, False), (-20, True), (-50, False), (3600, False)],
)
def test_codes_hold_for_their_window_and_one_step_either_side(client, django_user_model, typed_after, accepted):
    """A code belongs to a 30-second step; the step before and the one after are accepted too (clocks drift)."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device = signed_up_publisher(django_user_model, client)
    ten_minutes_on = start + timedelta(minutes=10)
    shown_at = ten_minutes_on.replace(second=15 + 30 * (ten_minutes_on.second // 30), microsecond=0)  # mid-step
    with time_machine.travel(shown_at, tick=False):
        code = current_code(device)
    with time_machine.travel(shown_at + timedelta(seconds=typed_after), tick=False):
        sign_in(client, "pia")
        response = client.post("/admin/account/verify/", {"code": code, "next": "/admin/"})
    assert (response.status_code == 302) is accepted


def test_a_code_works_once(client, django_user_model):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device = signed_up_publisher(django_user_model, client)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        code = current_code(device)
        sign_in(client, "pia")
        assert client.post("/admin/account/verify/", {"code": code}).status_code == 302
        other = Client()
        sign_in(other, "pia")
        assert other.post("/admin/account/verify/", {"code": code}).status_code == 200  # replayed: refused


def test_guessing_is_throttled(client, django_user_model):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device = signed_up_publisher(django_user_model, client)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        sign_in(client, "pia")
        for guess in range(5):
            client.post("/admin/account/verify/", {"code": f"{guess:06d}"})
        assert client.post("/admin/account/verify/", {"code": current_code(device)}).status_code == 200  # held back
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert client.post("/admin/account/verify/", {"code": current_code(device)}).status_code == 302


def test_a_recovery_code_works_once(client, django_user_model):
    signed_up_publisher(django_user_model, client)
    code = StaticToken.objects.first().token
    sign_in(client, "pia")
    response = client.post("/admin/account/verify/", {"code": code.upper(), "next": "/admin/"}, follow=True)
    assert response.status_code == 200 and "9 are left" in response.content.decode()
    client.post("/admin/logout/")
    sign_in(client, "pia")
    assert client.post("/admin/account/verify/", {"code": code}).status_code == 200  # used up


def test_new_recovery_codes_replace_the_old_ones(client, django_user_model):
    signed_up_publisher(django_user_model, client)
    old = set(StaticToken.objects.values_list("token", flat=True))
    sign_in(client, "pia")
    client.post("/admin/account/verify/", {"code": old.pop()})
    page = client.post("/admin/account/recovery-codes/")
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not new & old and all(code in page.content.decode() for code in new)


def test_turning_on_two_step_sign_in_ends_the_other_sessions(django_user_model):
    make_editor(django_user_model, "ed", "Editor")  # optional for editors
    laptop, phone = Client(), Client()
    sign_in(laptop, "ed")
    sign_in(phone, "ed")
    assert phone.get("/admin/").status_code == 200
    turn_on_app(laptop)
    assert Session.objects.filter(user__username="ed").count() == 1
    assert phone.get("/admin/")["Location"].startswith("/admin/login/")
    assert laptop.get("/admin/").status_code == 200


def test_an_editor_without_a_factor_signs_in_with_the_password(client, django_user_model):
    make_editor(django_user_model, "ed", "Editor")
    sign_in(client, "ed")
    assert client.get("/admin/").status_code == 200


def test_the_requirement_is_a_setting(client, publisher, settings):
    settings.IOMSITE_TWO_FACTOR_ROLES = ()
    sign_in(client, "pia")
    assert client.get("/admin/").status_code == 200


def test_superusers_need_it_too(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", "a-long-editor-password-0191")
    sign_in(client, "root")
    assert client.get("/admin/")["Location"].startswith("/admin/account/security/")


def test_demo_logins_stay_password_only_in_the_demo_database(client, settings, tmp_path):
    settings.IOMSITE_DEMO = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in ("editor", "demo-publisher"):
        Client().logout()
        signed = Client()
        sign_in(signed, username, "iomsite-demo")
        assert signed.get("/admin/").status_code == 200, username


def test_an_unverified_session_cannot_reach_the_account_pages(client, django_user_model):
    signed_up_publisher(django_user_model, client)
    sign_in(client, "pia")
    for url in ("/admin/account/security/", "/admin/account/authenticator-app/"):
        assert client.get(url)["Location"].startswith("/admin/account/verify/"), url
    assert client.post("/admin/account/recovery-codes/")["Location"].startswith("/admin/account/verify/")
