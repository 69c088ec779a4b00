"""The portal's URLs; the public ones follow the contract in README.md."""

from django.contrib import admin
from django.urls import path

from cami.views import healthz

admin.site.site_header = "CAMI Work Programme administration"
admin.site.site_title = "CAMI admin"
admin.site.index_title = "Programme, Range States and reporting"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
