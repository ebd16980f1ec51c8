"""A visitor registers for a consultation, confirms from the e-mail and cancels, in Chromium."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Registration
from tests.consultations.factories import make_event, make_series
from tests.helpers import run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL_RE = re.compile(r"https?://\S+")


def mail_link(kind):
    run_tasks()  # what the worker does
    message = mail.outbox[-1]
    (url,) = [url for url in URL_RE.findall(message.body) if f"/registration/{kind}/" in url]
    return message, url


def test_register_confirm_from_the_mail_and_cancel(page, live_server, settings):
    settings.IOMSITE_SITE_URL = live_server.url
    series = make_series("iom-ngo-humanitarian-consultations", title="IOM-NGO Humanitarian Consultations")
    event = make_event(
        series,
        "annual-consultations",
        timezone.localdate() + timedelta(days=30),
        title="Annual Consultations",
        registration_enabled=True,
        attendance="hybrid",
        meeting_url="https://meet.example.org/annual",
        capacity=50,
    )

    page.goto(series.get_absolute_url())
    page.get_by_role("link", name="Annual Consultations").click()
    page.wait_for_url("**" + event.get_absolute_url())
    expect(page.locator(".event-facts")).to_contain_text("Registration open")
    expect(page.get_by_text("meet.example.org")).to_have_count(0)
    page.get_by_role("main").get_by_role("link", name="Register", exact=True).click()

    page.wait_for_url("**" + event.get_register_url())
    page.get_by_label("Full name").fill("Ana Pérez")
    page.get_by_label("Organisation").fill("ICVA")
    page.get_by_label("E-mail address").fill("ana@example.org")
    page.get_by_label("Accessibility needs (optional)").fill("Step-free access, please.")
    page.get_by_role("main").get_by_role("button", name="Register").click()
    page.wait_for_url("**/register/check-your-inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    message, confirm_url = mail_link("confirm")
    assert message.to == ["ana@example.org"]
    page.goto(confirm_url)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration is confirmed")
    assert Registration.objects.get().status == "confirmed"

    confirmed, cancel_url = mail_link("cancel")
    assert "https://meet.example.org/annual" in confirmed.body
    assert confirmed.attachments[0][2] == "text/calendar"
    page.goto(cancel_url)
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration is cancelled")
    assert Registration.objects.get().status == "cancelled"
