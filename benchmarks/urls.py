"""The portal's URLs plus a trivial view served by the same process, the pages' baseline."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial),
    path("", include("cami.urls")),
]
