import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from iomsite.newsletter import forms as newsletter_forms
from iomsite.newsletter.models import Subscriber
from tests.iomsite.factories import live, make_page
from tests.newsletter.helpers import link, path_of, sign_up

pytestmark = pytest.mark.django_db


def test_footer_get_form_lands_on_the_full_form_prefilled(client, themes):
    response = client.get("/en/newsletter/", {"email": "ana@example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="ana@example.org"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.count("<h1") == 1
    for field in ('name="language"', 'name="topics"', 'type="email"'):
        assert field in html
    assert "Please correct" not in html  # a GET shows no errors, even for an empty or odd address
    assert "newsletter-footer-email" not in html  # no second sign-up form in the footer here


def test_signup_page_is_never_cached(client):
    response = client.get("/en/newsletter/")
    for word in ("no-cache", "no-store", "max-age=0"):
        assert word in response["Cache-Control"]


def test_topics_are_the_published_main_themes(client, themes):
    html = client.get("/en/newsletter/").content.decode()
    values = re.findall(r'name="topics" value="([^"]+)"', html)
    assert values == ["labour-migration", "migration-and-climate-change"]
    assert "Labour Migration" in html and "Ethical Recruitment" not in html and "Unfinished Theme" not in html


def test_topic_titles_in_the_page_language(client, themes):
    themes.objects.filter(slug="labour-migration").update(title_fr="Migration de main-d’œuvre")
    html = client.get("/fr/newsletter/").content.decode()
    assert "Migration de main-d’œuvre" in html
    assert "Migration and Climate Change" in html  # no French title yet: English


def test_no_topics_fieldset_without_themes(client, monkeypatch):
    monkeypatch.setattr(newsletter_forms, "topics_model", lambda: None)  # no content app declares topics
    html = client.get("/en/newsletter/").content.decode()
    assert 'name="topics"' not in html
    assert sign_up(client, "plain@example.org").status_code == 302


def test_unknown_or_draft_topic_is_refused(client, mailoutbox, themes):
    response = sign_up(client, topics=["unfinished-theme"])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Subscriber.objects.exists() and not mailoutbox


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "Enter your e-mail address."),
        ("not-an-address", "Enter a valid e-mail address, such as name@example.org."),
        ("ana@", "Enter a valid e-mail address, such as name@example.org."),
        ("ana@example..org", "Enter a valid e-mail address, such as name@example.org."),
        ("a" * 250 + "@example.org", "at most 254 characters"),
    ],
)
def test_invalid_address_gets_a_clear_form_error(client, mailoutbox, bad, message):
    response = sign_up(client, bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the error below." in html and message in html
    assert 'aria-invalid="true" aria-describedby="id_email_error"' in html and 'id="id_email_error"' in html
    assert not Subscriber.objects.exists() and not mailoutbox


def test_address_is_stored_once_in_lower_case(client, mailoutbox):
    sign_up(client, "  Ana.Silva@Example.ORG ", ip="198.51.100.1")
    sign_up(client, "ana.silva@example.org", ip="198.51.100.2")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ana.silva@example.org"]
    assert [m.to for m in mailoutbox] == [["ana.silva@example.org"]]  # one sign-up mail an hour


def _state(email, status):
    return Subscriber.objects.create(email=email, language="fr", topics=["labour-migration"], status=status)


def test_same_answer_whatever_the_address_is(client, mailoutbox, themes):
    _state("pending@example.org", "pending")
    _state("confirmed@example.org", "confirmed")
    _state("left@example.org", "unsubscribed")
    answers = []
    addresses = ["new@example.org", "pending@example.org", "confirmed@example.org", "left@example.org"]
    for number, email in enumerate(addresses):
        topics = ["migration-and-climate-change"]
        response = sign_up(client, email, language="es", topics=topics, ip=f"192.0.2.{number}")
        followed = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], response.content, followed.content))
    assert all(answer == answers[0] for answer in answers)

    # Each address gets one mail; the confirmed one is told it is already in, with a way out.
    by_address = {m.to[0]: m for m in mailoutbox}
    assert len(mailoutbox) == 4 and len(by_address) == 4
    for email in ("new@example.org", "left@example.org"):
        assert "confirme su suscripción" in by_address[email].subject  # Spanish, as chosen
        link(by_address[email], "confirm")
    assert "confirme su suscripción" not in by_address["pending@example.org"].subject  # its own language (fr)
    link(by_address["pending@example.org"], "confirm")
    already = by_address["confirmed@example.org"]
    assert "recevez déjà" in already.subject  # kept in the confirmed subscriber's language (fr)
    assert "/newsletter/confirm/" not in already.body
    assert already.extra_headers["List-Unsubscribe"] == f"<{link(already, 'unsubscribe')}>"
    assert link(already, "unsubscribe") in already.alternatives[0][0]

    # A stranger cannot change a confirmed or pending subscriber's choices.
    for email, status in (("confirmed@example.org", "confirmed"), ("pending@example.org", "pending")):
        kept = Subscriber.objects.get(email=email)
        assert (kept.status, kept.language, kept.topics) == (status, "fr", ["labour-migration"])
    # An unsubscribed address takes the new choices and waits for confirmation.
    left = Subscriber.objects.get(email="left@example.org")
    assert (left.status, left.language, left.topics) == ("pending", "es", ["migration-and-climate-change"])


def test_every_mail_carries_an_unsubscribe_link_that_works(client, mailoutbox):
    _state("confirmed@example.org", "confirmed")
    sign_up(client, "confirmed@example.org")
    sign_up(client, "new@example.org")
    for mail in mailoutbox:
        url = link(mail, "unsubscribe")
        assert mail.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert client.post(path_of(url)).status_code == 200
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"unsubscribed"}


def test_per_address_limit(client, mailoutbox):
    start = timezone.now().replace(minute=1)
    with time_machine.travel(start, tick=False):
        answers = [sign_up(client, "much@example.org", ip=f"192.0.2.{n}") for n in range(5)]
    assert len(mailoutbox) == 1  # one per hour per address, whatever the IP
    # Over the limit, the answer does not change (the address already has its mails).
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/en/newsletter/check-your-inbox/")}
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        sign_up(client, "much@example.org", ip="192.0.2.99")
    assert len(mailoutbox) == 2


def test_per_ip_limit(client, mailoutbox):
    start = timezone.now().replace(minute=1)
    with time_machine.travel(start, tick=False):
        answers = [sign_up(client, f"person{n}@example.org", ip="198.51.100.7") for n in range(6)]
        other_network = sign_up(client, "elsewhere@example.org", ip="198.51.100.8")
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    html = answers[-1].content.decode()
    assert "Too many sign-up requests" in html and 'class="site-header"' in html
    assert other_network.status_code == 302
    assert len(mailoutbox) == 6
    assert not Subscriber.objects.filter(email="person5@example.org").exists()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert sign_up(client, "person5@example.org", ip="198.51.100.7").status_code == 302


def test_limits_keep_no_raw_address_or_ip_in_the_cache(client):
    from iomsite.accounts.models import RateLimitCount

    sign_up(client, "secret@example.org", ip="203.0.113.77")
    keys = " ".join(str(key) for key in cache._cache)
    counted = " ".join(RateLimitCount.objects.values_list("key", flat=True))
    assert "ratelimit:newsletter-ip" in counted  # in the database: page-cache floods cannot evict it
    assert "secret" not in keys + counted and "203.0.113.77" not in keys + counted


def test_csrf_is_enforced_on_signup(mailoutbox):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/newsletter/", {"email": "csrf@example.org", "language": "en"})
    assert response.status_code == 403
    assert not Subscriber.objects.exists() and not mailoutbox
    page = client.get("/en/newsletter/")
    token = str(page.context["csrf_token"])
    data = {"email": "csrf@example.org", "language": "en", "csrfmiddlewaretoken": token}
    assert client.post("/en/newsletter/", data).status_code == 302
    assert len(mailoutbox) == 1


def test_hidden_field_filled_by_a_bot(client, mailoutbox):
    response = sign_up(client, "bot@example.org", website="http://spam.example")
    assert (response.status_code, response["Location"]) == (302, "/en/newsletter/check-your-inbox/")
    assert not Subscriber.objects.exists() and not mailoutbox


def test_mail_outage_gives_the_same_answer(client, mailoutbox, monkeypatch, caplog):
    def broken(self, fail_silently=False):
        raise OSError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    response = sign_up(client, "outage@example.org")
    assert (response.status_code, response["Location"]) == (302, "/en/newsletter/check-your-inbox/")
    assert "could not send" in caplog.text


def test_only_get_and_post(client):
    assert client.put("/en/newsletter/").status_code == 405
    assert client.post("/en/newsletter/check-your-inbox/").status_code == 405


@pytest.mark.parametrize("path", ["/en/", "/fr/", "page"])
def test_home_and_footer_forms_are_cacheable(client, path):
    home = path != "page"
    if not home:
        make_page("about-us")
        path = "/en/about-us/"
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies
    if home:  # (a basic page's own view varies on the cookie for staff previews)
        assert "cookie" not in response.get("Vary", "").lower()
    forms = re.findall(r"<form[^>]*newsletter-quick[^>]*>", html)
    assert len(forms) == 1
    assert 'method="get"' in forms[0] and f'action="/{path.split("/")[1]}/newsletter/"' in forms[0]
    assert re.search(r'<input[^>]*type="email"[^>]*name="email"', html)


def test_quick_form_leads_to_the_signup_page(client):
    html = client.get("/fr/").content.decode()
    form = re.search(r"<form[^>]*newsletter-quick[^>]*>", html).group(0)
    action = re.search(r'action="([^"]+)"', form).group(1)
    response = client.get(action, {"email": "quick@example.org"})
    assert response.status_code == 200
    assert 'value="quick@example.org"' in response.content.decode()
    assert response.context["form"]["language"].value() == "fr"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("extra_themes", [0, 12])
def test_signup_page_query_count_is_bounded(client, django_assert_max_num_queries, themes, language, extra_themes):
    for number in range(extra_themes):
        themes.objects.create(title=f"Theme {number}", slug=f"theme-{number}", body="<p>.</p>", **live())
    client.get(f"/{language}/newsletter/")  # warm the site-settings cache, as in production
    with django_assert_max_num_queries(4):
        response = client.get(f"/{language}/newsletter/")
    assert response.status_code == 200
    assert response.content.decode().count('name="topics"') == 2 + extra_themes


def test_signup_post_query_count_is_bounded(client, django_assert_max_num_queries, themes):
    client.get("/en/newsletter/")
    # 6, and the per-IP counter in the database: one upsert, one sweep of ended windows as a window starts.
    with django_assert_max_num_queries(8):
        sign_up(client, "count@example.org", topics=["labour-migration"])
