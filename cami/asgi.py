"""ASGI entry point for the CAMI portal."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cami.settings")

application = get_asgi_application()

from cami.production import refuse_to_serve_if_unsafe  # noqa: E402 - needs the apps loaded

refuse_to_serve_if_unsafe()
