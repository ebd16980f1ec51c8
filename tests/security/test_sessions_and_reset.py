"""Sessions an editor can see and end, sessions that end with a new password, and a password
reset by e-mail that tells nobody which addresses have accounts."""

import re

import pytest
from django.test import Client

from iomsite.accounts.models import Session
from tests.helpers import run_tasks
from tests.security.accounts import PASSWORD, make_editor, sign_in

pytestmark = pytest.mark.django_db

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture
def ed(django_user_model):
    return make_editor(django_user_model, "ed", "Editor")


def two_sessions():
    laptop, phone = Client(HTTP_USER_AGENT=FIREFOX), Client(HTTP_USER_AGENT=CHROME)
    sign_in(laptop, "ed")
    sign_in(phone, "ed")
    return laptop, phone


def test_an_editor_sees_their_sessions_and_ends_one(ed, django_user_model):
    make_editor(django_user_model, "someone-else")
    sign_in(Client(), "someone-else")
    laptop, phone = two_sessions()
    page = laptop.get("/admin/account/security/").content.decode()
    assert "Firefox on Linux" in page and "Chrome on Windows" in page and "This session" in page
    assert page.count('name="session"') == 1  # only the other session has a button; no one else's
    key = re.search(r'name="session" value="([^"]+)"', page).group(1)
    assert Session.objects.get(session_key=key).device == "Chrome on Windows"
    assert "Mozilla" not in page and "127.0.0.1" not in page  # no user agent or address is kept
    response = laptop.post("/admin/account/sessions/end/", {"session": key}, follow=True)
    assert "1 session was signed out." in response.content.decode()
    assert phone.get("/admin/")["Location"].startswith("/admin/login/")
    assert laptop.get("/admin/").status_code == 200
    assert Session.objects.filter(user__username="someone-else").count() == 1


def test_an_editor_cannot_end_someone_elses_session(ed, django_user_model):
    make_editor(django_user_model, "someone-else")
    other = Client()
    sign_in(other, "someone-else")
    laptop, _phone = two_sessions()
    laptop.post("/admin/account/sessions/end/", {"session": other.cookies["sessionid"].value})
    assert other.get("/admin/").status_code == 200


def test_sign_out_everywhere_else(ed):
    laptop, phone = two_sessions()
    third = Client()
    sign_in(third, "ed")
    laptop.post("/admin/account/sessions/end/", {"all_others": "1"})
    assert phone.get("/admin/").status_code == 302 and third.get("/admin/").status_code == 302
    assert laptop.get("/admin/").status_code == 200


def test_changing_the_password_ends_the_other_sessions(ed):
    laptop, phone = two_sessions()
    new = "another-long-password-7311"
    response = laptop.post(
        "/admin/password_change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert laptop.get("/admin/").status_code == 200  # the one who changed it stays signed in
    assert phone.get("/admin/")["Location"].startswith("/admin/login/")
    assert Session.objects.filter(user=ed).count() == 1


def test_a_manager_setting_a_password_ends_that_editors_sessions(ed, django_user_model):
    laptop, _phone = two_sessions()
    ed.set_password("set-by-the-site-manager-5521")
    ed.save()
    assert laptop.get("/admin/").status_code == 302
    assert not Session.objects.filter(user=ed).exists()


def test_the_login_page_offers_a_reset(client):
    html = client.get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/"' in html


def request_reset(client, email, ip="203.0.113.5"):
    response = client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=ip)
    run_tasks()  # the worker sends the mail
    return response


def test_password_reset_by_email(client, ed, mailoutbox):
    laptop, _phone = two_sessions()
    response = request_reset(client, "ED@example.org")
    assert (response.status_code, response["Location"]) == (302, "/admin/password_reset/done/")
    done = client.get(response["Location"]).content.decode()
    assert "IOM website administration" in done  # the admin's look
    [mail] = mailoutbox
    assert mail.to == ["ed@example.org"]
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mail.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    new = "a-brand-new-password-8812"
    reset = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert (reset.status_code, reset["Location"]) == (302, "/admin/reset/done/")
    assert laptop.get("/admin/").status_code == 302  # every session ended
    fresh = Client()
    assert sign_in(fresh, "ed", new).status_code == 302 and fresh.get("/admin/").status_code == 200
    assert client.get(link).status_code == 200 and "new_password1" not in client.get(link, follow=True).content.decode()


def test_a_reset_does_not_skip_two_step_sign_in(client, settings, django_user_model, mailoutbox):
    from tests.security.accounts import turn_on_app

    settings.IOMSITE_TWO_FACTOR_ROLES = ("Publisher",)
    make_editor(django_user_model, "pia", "Publisher")
    sign_in(client, "pia")
    turn_on_app(client)
    client.post("/admin/logout/")
    request_reset(client, "pia@example.org")
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "a-brand-new-password-8812"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    sign_in(client, "pia", new)
    assert client.get("/admin/")["Location"].startswith("/admin/account/verify/")


@pytest.mark.parametrize(
    "email", ["nobody@example.org", "visitor@example.org", "gone@example.org", "no-pw@example.org"]
)
def test_no_account_enumeration(client, ed, django_user_model, mailoutbox, email):
    django_user_model.objects.create_user("visitor", "visitor@example.org", PASSWORD)  # not staff
    make_editor(django_user_model, "gone", is_active=False)
    no_password = make_editor(django_user_model, "no-pw")
    no_password.set_unusable_password()
    no_password.save()
    known = request_reset(Client(), "ed@example.org")
    unknown = request_reset(client, email + "example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [mail.to for mail in mailoutbox] == [["ed@example.org"]]


def test_reset_requests_are_rate_limited(client, ed, django_user_model, mailoutbox):
    answers = [request_reset(client, "ed@example.org", ip=f"198.51.100.{n}") for n in range(6)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/admin/password_reset/done/")}
    assert len(mailoutbox) == 3  # per address and hour, whoever asks
    for n in range(12):
        request_reset(client, f"someone{n}@example.org", ip="192.0.2.50")
    make_editor(django_user_model, "late")
    request_reset(client, "late@example.org", ip="192.0.2.50")
    assert len(mailoutbox) == 3  # that network asked too often
