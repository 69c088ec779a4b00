from django.db import models
from django.utils.translation import gettext_lazy as _


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
