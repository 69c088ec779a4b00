"""Security headers on real responses, with the production settings the suite runs under."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_suite_runs_with_production_settings():
    assert not settings.DEBUG and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE


@pytest.mark.parametrize("url", ["/", "/activities/1.2/", "/api/v1/species/", "/dashboard/"])
def test_security_headers(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_secure_and_session_is_httponly(client):
    get_user_model().objects.create_user("officer", password="a-long-test-passphrase")
    login = client.get("/accounts/login/", secure=True)
    assert login.cookies["csrftoken"]["secure"]
    response = client.post("/accounts/login/", {
        "username": "officer", "password": "a-long-test-passphrase",
        "csrfmiddlewaretoken": login.cookies["csrftoken"].value,
    }, secure=True)  # fmt: skip
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]


def _log_in(client, username, password):
    token = client.get("/accounts/login/", secure=True).cookies["csrftoken"].value
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    return client.post("/accounts/login/", form, secure=True)


def test_the_lockout_locks_after_the_configured_number_of_failures(client):
    get_user_model().objects.create_user("focal", password="the-right-passphrase")
    get_user_model().objects.create_user("colleague", password="another-passphrase")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _log_in(client, "focal", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    locked = _log_in(client, "focal", "wrong-last")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    right = _log_in(client, "focal", "the-right-passphrase")
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert _log_in(client, "colleague", "another-passphrase").status_code == 302
