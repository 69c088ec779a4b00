"""ADMIN_REQUIRE_OTP: the admin then asks for a code from a registered authenticator app too."""

import importlib

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import cami.urls

pytestmark = pytest.mark.django_db
PASSWORD = "an-administrator-passphrase"


@pytest.fixture
def administrator():
    return get_user_model().objects.create_superuser("secretariat-admin", "a@example.org", PASSWORD)


@pytest.fixture
def otp_required(settings):
    settings.ADMIN_REQUIRE_OTP = True
    importlib.reload(cami.urls)  # the switch is made where the admin's URLs are
    yield
    admin.site.__class__ = AdminSite


def log_in(client, **extra):
    form = {"username": "secretariat-admin", "password": PASSWORD, "next": "/admin/", **extra}
    return client.post("/admin/login/", form)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def test_without_the_setting_a_password_is_enough(client, administrator):
    assert log_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_a_password_alone_is_refused(client, administrator, otp_required):
    TOTPDevice.objects.create(user=administrator, name="phone")
    response = log_in(client)
    assert response.status_code == 200 and "otp_token" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # back to the login page


def test_with_the_setting_the_right_code_lets_in(client, administrator, otp_required):
    device = TOTPDevice.objects.create(user=administrator, name="phone")
    # The first answer to the password lists the user's devices; the code is for the one chosen.
    assert 'value="otp_totp.totpdevice/' in log_in(client).content.decode()
    assert (
        log_in(client, otp_device=device.persistent_id, otp_token=code(device)).status_code == 302
    )
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_a_wrong_code_is_refused(client, administrator, otp_required):
    device = TOTPDevice.objects.create(user=administrator, name="phone")
    wrong = f"{(int(code(device)) + 1) % 10**device.digits:0{device.digits}d}"
    assert log_in(client, otp_device=device.persistent_id, otp_token=wrong).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_with_the_setting_staff_without_a_device_cannot_get_in(client, administrator, otp_required):
    assert log_in(client, otp_token="123456").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_the_portal_login_is_unchanged(client, administrator, otp_required):
    form = {"username": "secretariat-admin", "password": PASSWORD}
    assert client.post("/accounts/login/", form).status_code == 302


def test_an_administrator_enrols_a_device_with_its_qr_code(client, administrator):
    client.force_login(administrator)
    device = TOTPDevice.objects.create(user=administrator, name="phone")
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/" in page.content.decode()
    image = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert "issuer=CAMI%20portal" in device.config_url
