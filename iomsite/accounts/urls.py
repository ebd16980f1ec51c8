"""Account pages, included under the admin's prefix before the admin's own URLs."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views

from iomsite.accounts import views

account_patterns = [
    path("account/security/", views.security, name="security"),
    path("account/verify/", views.verify, name="verify"),
    path("account/authenticator-app/", views.totp_setup, name="totp_setup"),
    path("account/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("account/sessions/end/", views.end_session, name="end_session"),
    path("account/remove/<str:kind>/<int:pk>/", views.remove_device, name="remove_device"),
]

# Django's names, without a namespace: its views and the admin's templates use them.
password_reset_patterns = [
    path("password_reset/", views.StaffPasswordResetView.as_view(), name="admin_password_reset"),
    path("password_reset/done/", views.StaffPasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.StaffPasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.StaffPasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

webauthn_patterns = [
    path(
        "registration/begin/",
        webauthn_views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/", views.CompletePasskeyRegistration.as_view(), name="credential-registration-complete"
    ),
    path(
        "authentication/begin/",
        webauthn_views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        webauthn_views.CompleteCredentialAuthenticationView.as_view(),
        name="credential-authentication-complete",
    ),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]

urlpatterns = [
    path("", include((account_patterns, "accounts"))),
    path("", include(password_reset_patterns)),
    path("webauthn/", include((webauthn_patterns, "otp_webauthn"))),
]
