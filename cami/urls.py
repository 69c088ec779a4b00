"""The portal's URLs; the public ones follow the contract in README.md."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView

from cami.views import ApiDocs, healthz
from reporting import languages

handler403 = "cami.views.forbidden"
handler404 = "cami.views.not_found"

admin.site.site_header = _("CAMI Work Programme administration")
admin.site.site_title = _("CAMI admin")
admin.site.index_title = _("Programme, Range States and reporting")
if settings.ADMIN_REQUIRE_OTP:
    admin.site.__class__ = OTPAdminSite  # django-otp's way: same site, login asks for a code

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("cami.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script file, as the CSP requires.
    path("api/docs/", ApiDocs.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switcher (Django's), which also remembers a logged-in person's choice.
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("", include("reporting.urls")),
    path("", include("activities.urls")),
]
