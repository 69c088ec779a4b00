"""The portal's date formats for each language (FORMAT_MODULE_PATH), used by name in templates:
`date:"DATE_FORMAT"` (31 October 2028, 31 октября 2028) and `date:"SHORT_DATE_FORMAT"` (1 Dec 2026,
1 дек. 2026). A language added to settings.LANGUAGES without a module here takes Django's own.

Russian abbreviates a month in the genitive with a full stop ("1 дек. 2026", "1 мая 2026"); Django
draws abbreviated months with the `N` format from its messages in the "abbrev. month" context,
whose Russian in Django's catalogue is the nominative ("Дек."). The portal's catalogue translates
them as Russian writes dates; they are marked here so that makemessages keeps them.
"""

from django.utils.translation import pgettext_lazy

ABBREVIATED_MONTHS = [
    pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"), pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"), pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"), pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."), pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."), pgettext_lazy("abbrev. month", "Dec."),
]  # fmt: skip
