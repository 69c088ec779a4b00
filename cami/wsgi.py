"""WSGI entry point for the CAMI portal."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cami.settings")

application = get_wsgi_application()

from cami.production import refuse_to_serve_if_unsafe  # noqa: E402 - needs the apps loaded

refuse_to_serve_if_unsafe()
