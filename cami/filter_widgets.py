"""A filter's drop-down menu that becomes a typed field when its choices are many.

The real programme has a few dozen sections, units and species, where a menu is right; data
a hundred times larger would put thousands of options in every page that shows the filter
form (hundreds of kilobytes, and most of a request's time). Past `MENU_LIMIT` choices the
field is a text input taking the very value the menu would have sent (a slug, an ISO3 code),
so addresses and the API mean the same whatever the widget, and an unknown value is refused
by the field as before. Whether the choices are many is decided by reading at most
`MENU_LIMIT + 1` of them: the one query the menu made, never all the rows.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

MENU_LIMIT = 100


class ManyChoicesSelect(forms.Select):
    """A menu of at most `limit` choices; past that, a text input with a hint giving an example
    and, where `list_url` names one, a link to the page listing every choice."""

    def __init__(self, *args, hint=None, list_url: str = "", limit: int = MENU_LIMIT, **kwargs):
        super().__init__(*args, **kwargs)
        self.hint = hint or _("Too many to list: type its short name, as in its page's address")
        self.list_url = list_url
        self.limit = limit

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, ModelChoiceIterator):
            return super().render(name, value, attrs, renderer)
        iterator = self.choices
        first = list(iterator.queryset[: self.limit + 1])
        if len(first) <= self.limit:
            few = [iterator.choice(obj) for obj in first]
            if iterator.field.empty_label is not None:
                few.insert(0, ("", iterator.field.empty_label))
            menu = forms.Select(attrs=self.attrs, choices=few)
            menu.is_required = self.is_required
            return menu.render(name, value, attrs, renderer)
        return self._typed(name, value, attrs, renderer, iterator, first[0])

    def _typed(self, name, value, attrs, renderer, iterator, example) -> str:
        attrs = dict(attrs or {})
        hint_id = f"{attrs.get('id') or 'id_' + name}_hint"
        attrs.update(autocomplete="off", spellcheck="false", **{"aria-describedby": hint_id})
        if iterator.field.empty_label is not None:
            attrs.setdefault("placeholder", iterator.field.empty_label)
        text = forms.TextInput(attrs=self.attrs)
        field = text.render(name, value if value not in (None, []) else "", attrs, renderer)
        listing = (
            format_html(' <a href="{}">{}</a>', reverse(self.list_url), _("See them all."))
            if self.list_url
            else ""
        )
        return format_html(
            '{} <small class="muted filter-hint" id="{}">{}, {} <code>{}</code> ({}).{}</small>',
            field, hint_id, self.hint, _("e.g."), iterator.field.prepare_value(example),
            iterator.field.label_from_instance(example), listing,
        )  # fmt: skip
