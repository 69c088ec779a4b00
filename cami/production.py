"""The portal refuses to serve without the settings production needs."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def refuse_to_serve_if_unsafe() -> None:
    if settings.MISSING_FOR_PRODUCTION:
        raise ImproperlyConfigured(" ".join(settings.MISSING_FOR_PRODUCTION))


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    return [Error(problem, id="cami.E001") for problem in settings.MISSING_FOR_PRODUCTION]
