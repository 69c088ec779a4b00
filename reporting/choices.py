from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    NATIONAL_FOCAL_POINT = "national_focal_point", _("National focal point")
    ALTERNATE = "alternate", _("Alternate focal point")
    CONTRIBUTOR = "contributor", _("Contributor (drafts, cannot submit)")
    SECRETARIAT = "secretariat", _("Secretariat reviewer")


FOCAL_POINT_ROLES = {Role.NATIONAL_FOCAL_POINT, Role.ALTERNATE, Role.CONTRIBUTOR}
SUBMITTING_ROLES = {Role.NATIONAL_FOCAL_POINT, Role.ALTERNATE}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class EntryStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NO_INFORMATION = "no_information", _("No information")


# What a status table or matrix cell can hold besides an answered status: an entry without one,
# an activity that does not apply to the state (it belongs to a Conservation Unit the state is
# not part of; not the state's answer "Not applicable"), and a state with no report counted.
UNANSWERED = "unanswered"
NOT_FOR_STATE = "not_for_state"
NO_REPORT = "no_report"


SOLID, HATCHED, OUTLINED = "solid", "hatched", "outlined"
WHITE, INK = "FFFFFF", "1D2A2F"


@dataclass(frozen=True)
class StatusLook:
    """How an entry's status (or a matrix cell that is not one) is shown on every channel: the
    dashboard, the activity and Range State pages, the review workbook, the implementation
    report. Colour is never alone: each has a mark, written inside its cells and swatches."""

    code: str
    label: str
    mark: str  # a letter or symbol, translated ("status mark"); none for a state with no report
    colour: str  # RRGGBB, at least 3:1 against white (WCAG 1.4.11)
    ink: str  # RRGGBB of the mark written on it, at least 4.5:1 against what is behind the mark
    pattern: str = SOLID  # filled with the colour; HATCHED: its stripes on white; OUTLINED: a box


LOOKS = {
    look.code: look
    for look in [
        StatusLook(EntryStatus.NOT_STARTED.value, EntryStatus.NOT_STARTED.label,
                   pgettext_lazy("status mark", "N"), "C25100", WHITE),
        StatusLook(EntryStatus.PLANNED.value, EntryStatus.PLANNED.label,
                   pgettext_lazy("status mark", "P"), "4D8FCC", "111111"),
        StatusLook(EntryStatus.IN_PROGRESS.value, EntryStatus.IN_PROGRESS.label,
                   pgettext_lazy("status mark", "I"), "1D5A94", WHITE),
        StatusLook(EntryStatus.COMPLETED.value, EntryStatus.COMPLETED.label,
                   pgettext_lazy("status mark", "C"), "2E7D32", WHITE),
        StatusLook(EntryStatus.NOT_APPLICABLE.value, EntryStatus.NOT_APPLICABLE.label,
                   pgettext_lazy("status mark", "NA"), "6B6B6B", WHITE),
        StatusLook(EntryStatus.NO_INFORMATION.value, EntryStatus.NO_INFORMATION.label,
                   pgettext_lazy("status mark", "?"), "7B4FA0", WHITE),
        StatusLook(UNANSWERED, _("Not answered"), pgettext_lazy("status mark", "…"), "8A6500",
                   WHITE),
        StatusLook(NOT_FOR_STATE, _("Not for this state"), "—", "8A8A8A", INK,
                   HATCHED),
        StatusLook(NO_REPORT, _("No report"), "", "949494", INK, OUTLINED),
    ]
}  # fmt: skip
# The statuses an entry can be counted under, in the order of every chart and table.
COUNTED = [*EntryStatus.values, UNANSWERED]


# Why a report or entry changed, as stored in its history (so in one language for everyone);
# pages show the words in the reader's language.
CHANGE_REASONS = {
    "web form": _("web form"),
    "bulk": _("status set for several entries"),
    "autosave": _("autosave"),
    "API": _("API"),
    "Excel upload": _("Excel upload"),
    "submitted": _("submitted"),
    "returned": _("returned"),
    "accepted": _("accepted"),
    "reopened": _("reopened"),
    "withdrawn": _("withdrawn by the state"),
    "review started": _("review started"),
    "on behalf": _("entered on behalf of the state"),
    "on behalf started": _("entering on behalf of the state started"),
    "on behalf ended": _("entering on behalf of the state ended"),
}
