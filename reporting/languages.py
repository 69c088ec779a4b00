"""The language each person reads the portal in, kept on their role so that the e-mails no one's
action writes (reminders, a cycle opening) reach them in it too (reporting.notifications)."""

from django.conf import settings
from django.views.i18n import set_language as switch_language

from reporting.models import ReportingRole


def remember(user, language: str | None) -> None:
    if language in dict(settings.LANGUAGES):
        ReportingRole.objects.filter(user=user).exclude(language=language).update(language=language)


def on_login(sender, request, user, **kwargs) -> None:
    """The language they logged in with (LocaleMiddleware has read the switcher's cookie, else
    the browser's Accept-Language)."""
    remember(user, getattr(request, "LANGUAGE_CODE", None))


def set_language(request):
    """Django's language switcher, remembering the choice of a person who is logged in."""
    response = switch_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember(request.user, request.POST.get("language"))
    return response
