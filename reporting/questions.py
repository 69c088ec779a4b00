"""What each type of question is: its form field (the one validation every channel runs), how an
answer is stored (JSON), shown to a person and written to a spreadsheet cell.

A question's field takes what any channel sends: the page's strings, the API's JSON, a cell's
number, date or text. Choices are recognised by code or by their label in any portal language, so
a template filled in Russian is read in an English session and the other way round.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cami.content import in_language
from reporting.models.forms import Question, QuestionType

MAX_TEXT = {QuestionType.TEXT: 500, QuestionType.LONG_TEXT: 32_767}  # a cell holds 32,767
GROUPED = re.compile(r"^-?\d{1,3}([, ]\d{3})+(\.\d+)?$")  # 1,234.5 or 1 234.5
# 2,5 and 1 234,5 as Russian (and much of Europe) writes them
DECIMAL_COMMA = re.compile(r"^-?\d{1,3}( \d{3})*,\d+$|^-?\d+,\d{1,6}$")
YES, NO = gettext_lazy("Yes"), gettext_lazy("No")
YEARS = (1900, 2100)  # a year question's widest bounds
SEPARATOR = re.compile(r"\s*[;\n]\s*")


def every_language(make) -> list:
    """What `make()` gives in each of the portal's languages."""
    results = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            results.append(make())
    return results


def choice_label(question: Question, value: str) -> str:
    for choice in question.choices:
        if choice["value"] == value:
            return in_language(choice["label"]) or value
    return value


def _recognised(question: Question) -> dict[str, str]:
    """Choice code by what may be typed: the code, or its label in any language."""
    known = {}
    for choice in question.choices:
        known[str(choice["value"]).casefold()] = choice["value"]
        for label in choice.get("label", {}).values():
            known.setdefault(str(label).strip().casefold(), choice["value"])
    return known


class ChoiceAnswer(forms.ChoiceField):
    def __init__(self, *, question: Question, **kwargs):
        self.recognised = _recognised(question)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value).strip()
        return self.recognised.get(text.casefold(), text)


class MultiChoiceAnswer(forms.MultipleChoiceField):
    def __init__(self, *, question: Question, **kwargs):
        self.recognised = _recognised(question)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [part for part in SEPARATOR.split(value.strip()) if part]
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return [self.recognised.get(str(v).strip().casefold(), str(v).strip()) for v in value]


class NumberAnswer(forms.DecimalField):
    def to_python(self, value):
        if isinstance(value, bool):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, float | int):
            value = repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, str):
            value = number_text(value)
        return super().to_python(value)


def number_text(typed: str) -> str:
    """A typed number as Decimal reads it. Group separators go; a comma is the decimal mark
    where the reader's language writes it so (Russian: 1,234 is 1.234), elsewhere a thousands
    separator before groups of three digits (1,234.5) and a decimal mark otherwise (2,5)."""
    text = typed.strip().replace("\u00a0", " ")
    comma_first = formats.get_format("DECIMAL_SEPARATOR") == ","
    if comma_first and DECIMAL_COMMA.match(text):
        return text.replace(" ", "").replace(",", ".")
    if GROUPED.match(text):
        return text.replace(",", "").replace(" ", "")
    if DECIMAL_COMMA.match(text):
        return text.replace(" ", "").replace(",", ".")
    return text


class YearAnswer(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(int(value) if isinstance(value, float) else value)


class DateAnswer(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if value not in self.empty_values and not isinstance(value, str | datetime.date):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class YesNoAnswer(forms.NullBooleanField):
    """Yes, no or nothing: anything else is refused, never read as "no answer"."""

    default_error_messages = {"invalid": gettext_lazy("Answer yes or no.")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.words = {
            answer: codes | {w.casefold() for w in every_language(lambda word=word: str(word))}
            for answer, codes, word in [(True, {"true", "1", "yes"}, YES),
                                        (False, {"false", "0", "no"}, NO)]
        }  # fmt: skip

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        text = str(value).strip().casefold() if isinstance(value, str | int) else None
        for answer, words in self.words.items():
            if text in words:
                return answer
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass  # to_python has refused what is neither yes, no nor empty


class TextAnswer(forms.CharField):
    def to_python(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool | list | dict):
            raise ValidationError(_("Give text."), code="invalid")
        return super().to_python(value)


def plain_number(number):
    """A Decimal as JSON and people write it: 0 and 1000000, not 0.00 and 1E+6."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _bounds(question: Question) -> dict:
    return {"min_value": plain_number(question.min_value),
            "max_value": plain_number(question.max_value)}  # fmt: skip


def field_for(question: Question, label: str | None = None) -> forms.Field:
    """The question's form field: never required (a draft may be incomplete: completeness is
    checked on submitting), always the same validation whatever channel the value came from."""
    options = {
        "required": False, "label": in_language(question.label) if label is None else label,
        "help_text": in_language(question.help),
    }  # fmt: skip
    kind = question.type
    if kind in MAX_TEXT:
        widget = forms.Textarea(attrs={"rows": 3}) if kind == QuestionType.LONG_TEXT else None
        return TextAnswer(max_length=MAX_TEXT[kind], widget=widget, **options)
    if kind == QuestionType.NUMBER:
        return NumberAnswer(max_digits=14, decimal_places=4, localize=True, **_bounds(question),
                            **options)  # fmt: skip
    if kind == QuestionType.YEAR:
        bounds = {k: int(v) for k, v in _bounds(question).items() if v is not None}
        return YearAnswer(**{"min_value": YEARS[0], "max_value": YEARS[1], **bounds}, **options)
    if kind == QuestionType.DATE:
        # A date input takes ISO dates only, whatever the page's language.
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return DateAnswer(widget=widget, **options)
    if kind == QuestionType.YES_NO:
        choices = [("", _("— not answered yet —")), ("true", YES), ("false", NO)]
        return YesNoAnswer(widget=forms.Select(choices=choices), **options)
    if kind == QuestionType.URL:
        return forms.URLField(max_length=500, assume_scheme="https", **options)
    choices = [(c["value"], in_language(c["label"]) or c["value"]) for c in question.choices]
    if kind == QuestionType.MULTI_CHOICE:
        return MultiChoiceAnswer(question=question, choices=choices,
                                 widget=forms.CheckboxSelectMultiple, **options)  # fmt: skip
    return ChoiceAnswer(question=question, choices=[("", _("— not answered yet —")), *choices],
                        **options)  # fmt: skip


def stored(question: Question, cleaned):
    """A cleaned value as the JSON answers keep it; None for no answer."""
    if cleaned in (None, "", []):
        return None
    if isinstance(cleaned, Decimal):
        return plain_number(cleaned)
    if isinstance(cleaned, datetime.date):
        return cleaned.isoformat()
    return cleaned


def initial(question: Question, value):
    """A stored value as the page's field shows it."""
    if value is None:
        return None
    if question.type == QuestionType.YES_NO:
        return "true" if value else "false"
    if question.type == QuestionType.DATE:
        return _date(value)
    return value


def _date(value):
    """A stored date as a date; anything else (kept from an earlier meaning) as it is."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def shown_value(question: Question, value) -> str:
    """A stored value in words for a person, in the active language."""
    if value is None or value == "" or value == []:
        return ""
    kind = question.type
    if kind == QuestionType.CHOICE:
        return choice_label(question, value)
    if kind == QuestionType.MULTI_CHOICE and isinstance(value, list):
        return "; ".join(choice_label(question, v) for v in value)
    if kind == QuestionType.YES_NO:
        return str(YES if value else NO)
    if kind == QuestionType.NUMBER and isinstance(value, int | float):
        unit = in_language(question.unit)
        number = formats.number_format(value, force_grouping=True)
        return f"{number} {unit}" if unit else number
    date = _date(value) if kind == QuestionType.DATE else None
    if isinstance(date, datetime.date):
        return formats.date_format(date, "DATE_FORMAT")
    return str(value)


def cell_value(question: Question, value):
    """A stored value as a spreadsheet cell holds it (numbers stay numbers, dates dates)."""
    if value is None or value == "" or value == []:
        return None
    if question.type in {QuestionType.CHOICE, QuestionType.MULTI_CHOICE, QuestionType.YES_NO}:
        return shown_value(question, value)
    if question.type == QuestionType.DATE:
        return _date(value)
    return value if isinstance(value, str | int | float) else str(value)


def is_answered(value) -> bool:
    if isinstance(value, dict):  # a breakdown: answered when every row is (see Definition)
        return bool(value)
    return value not in (None, "", [])
