"""An issue composed, previewed, tested and sent in batches; unsubscribes mid-send; a failed batch resumed."""

import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from iomsite.newsletter import sending
from iomsite.newsletter.models import Delivery, Issue, Subscriber
from tests.helpers import run_tasks
from tests.publications.factories import make_publication

pytestmark = pytest.mark.django_db

ISSUES = "/admin/newsletter/issue/"
URL_RE = re.compile(r"https?://[^\s\"<>]+")


def subscriber(email, language="en", topics=(), status="confirmed"):
    return Subscriber.objects.create(email=email, language=language, topics=list(topics), status=status)


@pytest.fixture
def issue(themes):
    labour = themes.objects.get(slug="labour-migration")
    report = make_publication("world-migration-report", title="World Migration Report", summary="The flagship.")
    report.themes.add(labour)
    draft = make_publication("unfinished", published=False, title="Unfinished draft")
    issue = Issue.objects.create(subject="October news", language="en", introduction="What happened this month.")
    publication_type = ContentType.objects.get_for_model(report)
    issue.items.create(content_type=publication_type, object_id=report.pk, sort_order=1)
    issue.items.create(content_type=publication_type, object_id=draft.pk, sort_order=2)  # never goes out
    return issue


def test_one_click_unsubscribe_and_manage_links_in_every_mail(issue, mailoutbox, settings):
    settings.IOMSITE_NEWSLETTER_BATCH_SIZE = 2
    for n in range(5):
        subscriber(f"s{n}@example.org")
    subscriber("fr@example.org", language="fr")
    subscriber("pending@example.org", status="pending")
    subscriber("gone@example.org", status="unsubscribed")
    assert sending.start_sending(issue)
    assert mailoutbox == []  # the request only wrote the deliveries and queued the first batch
    assert issue.deliveries.count() == 5
    run_tasks()
    assert sorted(message.to[0] for message in mailoutbox) == [f"s{n}@example.org" for n in range(5)]
    issue.refresh_from_db()
    assert issue.status == "sent" and issue.sent_at is not None
    assert issue.progress()["sent"] == 5

    message = mailoutbox[0]
    assert message.subject == "October news"
    assert "World Migration Report" in message.body and "Unfinished draft" not in message.body
    html = message.alternatives[0][0]
    assert "World Migration Report" in html and "Unfinished draft" not in html
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body and unsubscribe in html
    manage = [url for url in URL_RE.findall(message.body) if "/newsletter/manage/" in url]
    assert manage

    # RFC 8058: the mail provider POSTs, without a session or a CSRF token.
    provider = Client(enforce_csrf_checks=True)
    assert provider.post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Subscriber.objects.get(email=message.to[0]).status == "unsubscribed"


def test_unsubscribes_mid_send_are_respected(issue, mailoutbox, settings):
    settings.IOMSITE_NEWSLETTER_BATCH_SIZE = 2
    for n in range(4):
        subscriber(f"s{n}@example.org")
    sending.start_sending(issue)
    run_tasks(limit=1)  # the first batch: two mails
    assert len(mailoutbox) == 2
    Subscriber.objects.get(email="s3@example.org").unsubscribe()
    run_tasks()
    assert sorted(message.to[0] for message in mailoutbox) == ["s0@example.org", "s1@example.org", "s2@example.org"]
    assert issue.progress()["skipped"] == 1


def test_a_failed_batch_resumes_without_sending_twice(issue, mailoutbox, settings):
    settings.IOMSITE_NEWSLETTER_BATCH_SIZE = 10
    for n in range(6):
        subscriber(f"s{n}@example.org")
    FlakyBackend.accept = 3
    settings.EMAIL_BACKEND = "tests.newsletter.test_sending.FlakyBackend"
    sending.start_sending(issue)
    run_tasks()
    assert len(FlakyBackend.delivered) == 3
    issue.refresh_from_db()
    assert issue.status == "sending" and "refused" in issue.last_error
    assert issue.progress() == {"pending": 3, "sending": 0, "sent": 3, "skipped": 0, "failed": 0}

    FlakyBackend.accept = 100
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_tasks()
    assert sorted(FlakyBackend.delivered) == [f"s{n}@example.org" for n in range(6)]  # each exactly once
    issue.refresh_from_db()
    assert issue.status == "sent"
    assert all(row.sent_at for row in issue.deliveries.all())


class FlakyBackend:
    """A mail server that takes ``accept`` messages and then refuses."""

    accept = 0
    delivered = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            if FlakyBackend.accept <= 0:
                raise smtplib.SMTPDataError(451, "refused for now")
            FlakyBackend.accept -= 1
            FlakyBackend.delivered.append(message.to[0])
        return len(messages)


@pytest.fixture(autouse=True)
def _reset_flaky():
    FlakyBackend.delivered = []
    yield


def test_language_and_topics_choose_the_recipients(issue):
    subscriber("all@example.org")
    subscriber("labour@example.org", topics=["labour-migration"])
    subscriber("climate@example.org", topics=["migration-and-climate-change"])
    subscriber("es@example.org", language="es")
    issue.topics = ["labour-migration"]
    issue.save()
    sending.start_sending(issue)
    assert set(issue.deliveries.values_list("subscriber__email", flat=True)) == {
        "all@example.org",
        "labour@example.org",
    }
    assert not sending.start_sending(issue)  # once only


def test_admin_compose_preview_test_and_send(issue, staff_client, staff_user, mailoutbox):
    subscriber("reader@example.org")
    page = staff_client.get(ISSUES + f"{issue.pk}/change/")
    assert page.status_code == 200
    assert "Send to subscribers now" in page.content.decode()
    html = staff_client.get(ISSUES + f"{issue.pk}/preview/html/")
    assert html.status_code == 200 and b"World Migration Report" in html.content
    assert b"Unfinished draft" not in html.content
    text = staff_client.get(ISSUES + f"{issue.pk}/preview/text/")
    assert text["Content-Type"].startswith("text/plain") and b"Subject: October news" in text.content
    assert staff_client.get(ISSUES + f"{issue.pk}/preview/pdf/").status_code == 404

    staff_client.post(ISSUES + f"{issue.pk}/test/")
    run_tasks()
    (test,) = mailoutbox
    assert test.to == [staff_user.email] and test.subject.startswith("[TEST]")
    assert Issue.objects.get(pk=issue.pk).status == "draft"

    staff_client.post(ISSUES + f"{issue.pk}/send/")
    run_tasks()
    assert [message.to for message in mailoutbox[1:]] == [["reader@example.org"]]
    page = staff_client.get(ISSUES + f"{issue.pk}/change/").content.decode()
    assert "1 sent, 0 to send" in page and "reader@example.org" in page  # progress and the send log
    assert staff_client.get(ISSUES).status_code == 200


def test_editors_without_the_right_cannot_send(issue, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_issue", "change_issue"]))
    client = Client()
    client.force_login(editor)
    assert "Send to subscribers now" not in client.get(ISSUES + f"{issue.pk}/change/").content.decode()
    assert client.post(ISSUES + f"{issue.pk}/send/").status_code == 403
    assert Issue.objects.get(pk=issue.pk).status == "draft"


def test_suggestions_follow_topic_and_language(themes, staff_client):
    labour = themes.objects.get(slug="labour-migration")
    climate = themes.objects.get(slug="migration-and-climate-change")
    on_topic = make_publication("on-topic", title="On topic")
    on_topic.themes.add(themes.objects.get(slug="ethical-recruitment"))  # a sub-topic of labour migration
    off_topic = make_publication("off-topic", title="Off topic")
    off_topic.themes.add(climate)
    make_publication("draft-one", published=False, title="Draft one").themes.add(labour)
    issue = Issue.objects.create(subject="Labour", language="en", topics=["labour-migration"])
    staff_client.post(ISSUES + f"{issue.pk}/suggest/")
    titles = [
        str(obj.title)
        for _type, obj in [
            (i.content_type, i.content_type.get_object_for_this_type(pk=i.object_id)) for i in issue.items.all()
        ]
    ]
    assert titles == ["On topic"]
    french = Issue.objects.create(subject="Français", language="fr")
    sending.add_suggestions(french)
    assert french.items.count() == 0  # nothing has a French title


def test_public_archive_per_language(issue, client):
    issue.status, issue.sent_at = "sent", timezone.now()
    issue.save()
    Issue.objects.create(subject="Nouvelles", language="fr", status="sent", sent_at=timezone.now())
    Issue.objects.create(subject="Not sent yet", language="en")
    page = client.get("/en/newsletter/archive/").content.decode()
    assert "October news" in page and "Nouvelles" not in page and "Not sent yet" not in page
    detail = client.get(issue.get_absolute_url())
    assert detail.status_code == 200
    assert "World Migration Report" in detail.content.decode() and "Unfinished draft" not in detail.content.decode()
    assert "Nouvelles" in client.get("/fr/newsletter/archive/").content.decode()
    draft = Issue.objects.get(subject="Not sent yet")
    assert client.get(f"/en/newsletter/archive/{draft.pk}/").status_code == 404
    assert client.get(f"/fr/newsletter/archive/{issue.pk}/").status_code == 404


def test_manage_topics_from_the_link(themes, client):
    reader = subscriber("reader@example.org")
    from iomsite.newsletter.tokens import make_unsubscribe_token

    url = f"/en/newsletter/manage/{make_unsubscribe_token(reader)}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"language": "fr", "topics": ["labour-migration"]})
    assert "Your choices are saved." in response.content.decode()
    reader.refresh_from_db()
    assert (reader.language, reader.topics) == ("fr", ["labour-migration"])
    assert client.get("/en/newsletter/manage/forged/").status_code == 400
    assert Delivery.objects.count() == 0


def test_compose_an_issue_in_the_admin(themes, staff_client):
    page = staff_client.get(ISSUES + "add/").content.decode()
    assert 'value="labour-migration"' in page  # topics offered as choices, not typed
    data = {
        "subject": "November news",
        "language": "fr",
        "topics": ["labour-migration"],
        "introduction": "Hello.",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(ISSUES + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get(subject="November news")
    assert (issue.language, issue.topics, issue.status) == ("fr", ["labour-migration"], "draft")
    # An item must be published content of that type.
    draft = make_publication("draft-pub", published=False)
    publication_type = ContentType.objects.get_for_model(draft)
    data.update(
        {
            "items-TOTAL_FORMS": "1",
            "items-0-content_type": publication_type.pk,
            "items-0-object_id": draft.pk,
            "items-0-sort_order": "1",
        }
    )
    response = staff_client.post(ISSUES + f"{issue.pk}/change/", data)
    assert response.status_code == 200
    assert "There is no published item of this type with this number." in response.content.decode()
