"""Report Abuse: the page offers a form; a report is stored for Site managers, the sender gets a confirmation."""

import re

import pytest
from django.contrib.auth.models import Group

from iomsite.models import AbuseReport
from iomsite.workflow.roles import EDITOR, SITE_MANAGER
from tests.helpers import run_tasks
from tests.iomsite.factories import make_page
from tests.workflow.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def form_url(client):
    page = make_page(
        "report-abuse", title="Report Abuse", body='<p><a href="/en/report-abuse/form/">Send a report</a></p>'
    )
    html = client.get(page.get_absolute_url()).content.decode()
    return re.search(r'href="(/en/report-abuse/form/)"', html).group(1)


def test_a_visitor_reports_and_gets_a_confirmation(client, mailoutbox):
    url = form_url(client)
    assert client.get(url).status_code == 200
    response = client.post(url, {"what": "A recruiter asked for fees in our name.", "email": "me@example.org"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your report has been received" in page
    report = AbuseReport.objects.get()
    assert report.what == "A recruiter asked for fees in our name." and report.language == "en"
    run_tasks()
    assert [message.to for message in mailoutbox] == [["me@example.org"]]
    assert "received on" in mailoutbox[0].body


def test_anonymous_reports_bad_input_bots_and_floods(client, mailoutbox):
    url = "/en/report-abuse/form/"
    assert client.post(url, {"what": "Anonymous report."}).status_code == 302
    response = client.post(url, {"what": "", "email": "not-an-address"})
    assert response.status_code == 200 and "Please correct the error below" in response.content.decode()
    assert client.post(url, {"what": "Buy pills", "website": "http://spam.example"}).status_code == 302
    assert list(AbuseReport.objects.values_list("what", flat=True)) == ["Anonymous report."]  # the bot's dropped
    for _attempt in range(5):
        client.post(url, {"what": "Again."})
    assert client.post(url, {"what": "Once too often."}).status_code == 429
    run_tasks()
    assert mailoutbox == []  # no address given, no mail


def test_only_site_managers_read_reports(django_user_model):
    AbuseReport.objects.create(what="Secret report")
    editor = client_for(make_user(django_user_model, "edna", Group.objects.get(name=EDITOR)))
    manager = client_for(make_user(django_user_model, "mona", Group.objects.get(name=SITE_MANAGER)))
    assert editor.get("/admin/iomsite/abusereport/").status_code == 403
    assert "Secret report" not in editor.get("/admin/").content.decode()
    listing = manager.get("/admin/iomsite/abusereport/")
    assert listing.status_code == 200
    report = AbuseReport.objects.get()
    assert "Secret report" in manager.get(f"/admin/iomsite/abusereport/{report.pk}/change/").content.decode()
