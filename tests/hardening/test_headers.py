import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_public_page_has_strict_security_headers(client):
    response = client.get("/en/")
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_login_attempts_are_limited(db, django_user_model, settings):
    django_user_model.objects.create_user("victim", password="correct-horse-battery", is_staff=True)
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "victim", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/admin/login/", {"username": "victim", "password": "wrong"}).status_code == 429
    response = client.post("/admin/login/", {"username": "victim", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_successful_login_works(db, django_user_model):
    django_user_model.objects.create_user("editor1", password="correct-horse-battery", is_staff=True)
    response = Client().post("/admin/login/", {"username": "editor1", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_deploy_check_is_clean_with_production_variables():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "A-long-random-production-secret-0123456789",
        "DJANGO_ALLOWED_HOSTS": "www.example.org",
        "DJANGO_HTTPS": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
