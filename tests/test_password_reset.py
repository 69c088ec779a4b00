"""Password reset by e-mail and password change, on the portal's own pages."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PORTAL_MARK = '<span class="brand-mark" aria-hidden="true">CAMI</span>'
ADMIN_MARK = "admin/css/base.css"
OLD, NEW = "the-old-passphrase-1", "a-brand-new-passphrase-2"


@pytest.fixture
def focal_point():
    return get_user_model().objects.create_user("kaz-focal", email="focal@example.kz", password=OLD)


def _log_in(client, username, password):
    client.logout()
    token = client.get("/accounts/login/", secure=True).cookies["csrftoken"].value
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    return client.post("/accounts/login/", form, secure=True)


def _portal_page(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert PORTAL_MARK in html and ADMIN_MARK not in html
    return html


def test_login_page_links_to_password_reset(client):
    assert 'href="/accounts/password_reset/"' in _portal_page(client.get("/accounts/login/"))


def test_reset_by_email_sets_a_new_password(client, focal_point, mailoutbox):
    _portal_page(client.get("/accounts/password_reset/"))
    response = client.post("/accounts/password_reset/", {"email": "FOCAL@example.kz"}, secure=True)
    assert response.status_code == 302 and response.url == "/accounts/password_reset/done/"
    assert "Check your e-mail" in _portal_page(client.get(response.url))

    [message] = mailoutbox
    assert message.to == ["focal@example.kz"]
    assert message.subject == "Your CAMI portal password"
    assert "kaz-focal" in message.body and "<" not in message.body  # plain text
    link = re.search(r"https://testserver(/accounts/reset/\S+/)", message.body).group(1)

    # The link redirects to a URL without the token (kept in the session), which shows the form.
    form_url = client.get(link, secure=True).url
    assert "Choose a new password" in _portal_page(client.get(form_url, secure=True))
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW}, secure=True)
    assert done.status_code == 302 and done.url == "/accounts/reset/done/"
    assert "Password set" in _portal_page(client.get(done.url))

    assert _log_in(client, "kaz-focal", OLD).status_code == 200  # the form again, refused
    assert _log_in(client, "kaz-focal", NEW).status_code == 302
    # The link works once.
    assert "not valid" in _portal_page(client.get(link, secure=True, follow=True))


def test_unknown_email_gets_the_same_answer_and_no_mail(client, focal_point, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password_reset/done/"
    assert mailoutbox == []


def test_a_weak_new_password_is_refused_on_the_portal_page(client, focal_point, mailoutbox):
    client.post("/accounts/password_reset/", {"email": "focal@example.kz"})
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert 'class="field-error"' in _portal_page(response)
    focal_point.refresh_from_db()
    assert focal_point.check_password(OLD)


@pytest.mark.parametrize("url", ["/accounts/password_change/", "/accounts/password_change/done/"])
def test_password_change_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


def test_password_change(client, focal_point):
    client.force_login(focal_point)
    _portal_page(client.get("/accounts/password_change/"))
    form = {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    response = client.post("/accounts/password_change/", form)
    assert response.status_code == 302 and response.url == "/accounts/password_change/done/"
    assert "Password changed" in _portal_page(client.get(response.url))
    focal_point.refresh_from_db()
    assert focal_point.check_password(NEW)
