import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from iomsite.newsletter.models import Subscriber
from tests.newsletter.helpers import link, links, path_of, sign_up

pytestmark = pytest.mark.django_db


def test_signup_confirm_unsubscribe_through_the_outbox(client, mailoutbox, themes):
    response = sign_up(client, "Ana@Example.org", topics=["labour-migration"])
    assert response.status_code == 302
    assert response["Location"] == "/en/newsletter/check-your-inbox/"
    page = client.get(response["Location"])
    assert "Check your inbox" in page.content.decode()

    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("ana@example.org", "pending")
    assert subscriber.topics == ["labour-migration"]
    assert subscriber.confirmed_at is None

    (mail,) = mailoutbox
    assert mail.to == ["ana@example.org"]
    assert "Confirm your subscription" in mail.subject
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    confirm_url = link(mail, "confirm")
    unsubscribe_url = link(mail, "unsubscribe")
    assert confirm_url in html and unsubscribe_url in html
    assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Opening the link (as a mail scanner would) shows a button and confirms nothing.
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"

    page = client.post(path_of(confirm_url))
    assert page.status_code == 200
    assert "Your subscription is confirmed" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed" and subscriber.confirmed_at is not None

    # The link again: nothing breaks, the page says it is done.
    assert "Your subscription is confirmed" in client.get(path_of(confirm_url)).content.decode()

    page = client.get(path_of(unsubscribe_url))
    assert page.status_code == 200 and "Unsubscribe from the newsletter" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"

    page = client.post(path_of(unsubscribe_url))
    assert page.status_code == 200 and "You are unsubscribed" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at is not None


def test_mail_and_links_follow_the_chosen_language(client, mailoutbox):
    sign_up(client, "luc@example.org", language="fr", page_language="en")
    (mail,) = mailoutbox
    assert all("/fr/newsletter/" in url for url in links(mail))
    assert '<html lang="fr">' in mail.alternatives[0][0]
    assert Subscriber.objects.get().language == "fr"


def test_language_defaults_to_the_page_language(client):
    for code in ("en", "fr", "es"):
        html = client.get(f"/{code}/newsletter/").content.decode()
        checked = re.findall(r'<input[^>]*name="language"[^>]*>', html)
        assert [tag for tag in checked if "checked" in tag] == [t for t in checked if f'value="{code}"' in t]


def test_one_click_unsubscribe_needs_no_csrf_token(mailoutbox):
    client = Client(enforce_csrf_checks=True)
    sign_up(Client(), "one@example.org")
    url = path_of(link(mailoutbox[0], "unsubscribe"))
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"


def test_confirm_needs_csrf_token(mailoutbox):
    sign_up(Client(), "two@example.org")
    url = path_of(link(mailoutbox[0], "confirm"))
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert client.post(url).status_code == 403
    token = page.context["csrf_token"]
    assert client.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"


def test_confirm_link_expires_after_three_days(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(client, "late@example.org")
    url = path_of(link(mailoutbox[0], "confirm"))

    with time_machine.travel(start + timedelta(days=3, minutes=1), tick=False):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            html = response.content.decode()
            assert "This link has expired" in html
            assert 'href="/en/newsletter/"' in html  # offers to sign up again
            assert 'class="site-header"' in html  # the site's own page
    assert Subscriber.objects.get().status == "pending"

    with time_machine.travel(start + timedelta(days=2, hours=23), tick=False):
        assert client.post(url).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"


def test_unsubscribe_link_never_expires(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(client, "stays@example.org")
    client.post(path_of(link(mailoutbox[0], "confirm")))
    with time_machine.travel(start + timedelta(days=800), tick=False):
        assert client.post(path_of(link(mailoutbox[0], "unsubscribe"))).status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"


def _tampered(token):
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_tampered_links_get_a_clear_400_page(client, mailoutbox, kind):
    sign_up(client, "tamper@example.org")
    url = path_of(link(mailoutbox[0], kind))
    token = url.rstrip("/").rsplit("/", 1)[1]
    other = path_of(link(mailoutbox[0], "unsubscribe" if kind == "confirm" else "confirm"))
    other_token = other.rstrip("/").rsplit("/", 1)[1]
    for bad in (_tampered(token), token[:-3], "nonsense", "a:b:c", other_token):
        for method in (client.get, client.post):
            response = method(f"/en/newsletter/{kind}/{bad}/")
            assert response.status_code == 400, (bad, method)
            html = response.content.decode()
            assert "This link is not valid" in html and 'class="site-header"' in html
    assert Subscriber.objects.get().status == "pending"


def test_link_bound_to_its_address(client, mailoutbox):
    sign_up(client, "first@example.org")
    url = path_of(link(mailoutbox[0], "unsubscribe"))
    # Same id, other address (as if the row had been deleted and the id reused).
    Subscriber.objects.filter(email="first@example.org").update(email="someone-else@example.org")
    assert client.post(url).status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_link_to_a_deleted_subscriber_is_invalid(client, mailoutbox):
    sign_up(client, "gone@example.org")
    Subscriber.objects.all().delete()
    assert client.get(path_of(link(mailoutbox[0], "confirm"))).status_code == 400
    assert client.post(path_of(link(mailoutbox[0], "unsubscribe"))).status_code == 400


def test_confirm_link_of_an_unsubscribed_address_does_not_resubscribe(client, mailoutbox):
    sign_up(client, "left@example.org")
    confirm_url = path_of(link(mailoutbox[0], "confirm"))
    client.post(path_of(link(mailoutbox[0], "unsubscribe")))
    assert client.post(confirm_url).status_code == 400
    assert Subscriber.objects.get().status == "unsubscribed"


def test_signing_up_again_after_unsubscribing(client, mailoutbox):
    sign_up(client, "back@example.org")
    client.post(path_of(link(mailoutbox[0], "confirm")))
    client.post(path_of(link(mailoutbox[0], "unsubscribe")))
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):  # one sign-up mail an hour
        sign_up(client, "back@example.org", language="es")
    assert len(mailoutbox) == 2
    assert "confirme su suscripción" in mailoutbox[1].subject  # in the language the subscriber chose
    client.post(path_of(link(mailoutbox[1], "confirm")))
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.language) == ("confirmed", "es")
