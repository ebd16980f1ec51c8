"""Passkeys in Chromium (a virtual authenticator through the DevTools protocol): a publisher
who must use two-step sign-in adds a passkey from the account page, then signs in with it."""

import pytest
from playwright.sync_api import expect

from tests.security.accounts import PASSWORD, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def passkey_site(settings, live_server):
    settings.IOMSITE_TWO_FACTOR_ROLES = ("Site manager", "Publisher")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server


def authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    return cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def sign_in(page, username):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_publisher_adds_a_passkey_and_signs_in_with_it(page, passkey_site, django_user_model):
    make_editor(django_user_model, "pia", "Publisher")
    authenticator(page)
    sign_in(page, "pia")
    page.wait_for_url("**/admin/account/security/**")
    expect(page.get_by_role("alert")).to_contain_text("Your role needs two-step sign-in")

    add = page.get_by_role("button", name="Add a passkey")
    add.focus()
    page.keyboard.press("Enter")  # keyboard only
    expect(page.locator("#passkey-register-status-message")).not_to_be_empty()
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Content")  # turned on, verified

    page.get_by_role("button", name="Log out").click()
    sign_in(page, "pia")
    page.wait_for_url("**/admin/account/verify/**")
    page.get_by_role("button", name="Use my passkey").click()
    page.wait_for_url("**/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Content")


def test_an_authenticator_app_needs_no_javascript(browser, passkey_site, django_user_model):
    """The code form works with JavaScript off; only the passkey part says it needs it."""
    make_editor(django_user_model, "pia", "Publisher")
    context = browser.new_context(base_url=passkey_site.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "pia")
        page.wait_for_url("**/admin/account/security/**")
        expect(page.get_by_text("Adding a passkey needs JavaScript")).to_be_visible()
        page.get_by_role("link", name="Add an authenticator app").click()
        key = page.locator(".totp-key").inner_text().replace(" ", "")
        import base64

        from django_otp.oath import TOTP

        clock = TOTP(base64.b32decode(key), 30, 0, 6, 0)
        page.get_by_label("Code").fill(f"{clock.token():06d}")
        page.get_by_role("button", name="Turn on").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
        assert page.locator(".recovery-codes li").count() == 10
    finally:
        context.close()
