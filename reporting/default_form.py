"""The form every cycle starts from: the six questions the portal asked before forms were data.

The Secretariat changes it on the form pages; this is only where a new cycle's form begins (and
what reports made before forms were data were answered on)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reporting.choices import EntryStatus
from reporting.models.forms import STATUS, Scope
from reporting.questions import every_language


def in_every_language(text) -> dict:
    """A translatable string as {language code: text} for every portal language."""
    codes = [code for code, _name in settings.LANGUAGES]
    return dict(zip(codes, every_language(lambda: str(text)), strict=True))


def status_choices() -> list[dict]:
    return [
        {"value": value, "label": in_every_language(label)} for value, label in EntryStatus.choices
    ]


def _question(code, type_, label, **options) -> dict:
    return {"code": code, "type": type_, "label": in_every_language(label), **options}


def default_form() -> list[dict]:
    """Sections, each with its questions, as `forms_io.create_form` takes them."""
    return [
        {
            "scope": Scope.ENTRY,
            "title": in_every_language(_("Progress on the indicator")),
            "questions": [
                _question(STATUS, "choice", _("Implementation status"), required=True,
                          choices=status_choices()),
                _question("narrative", "long_text", _("Progress")),
                _question("achieved_value", "number", _("Achieved value"),
                          help=in_every_language(_("Where the indicator has a target count."))),
                _question("year_completed", "year", _("Year completed"), min_value=2000,
                          max_value=2100),
                _question("partners", "long_text", _("Partners involved")),
                _question("challenges", "long_text", _("Challenges")),
            ],
        }
    ]  # fmt: skip
