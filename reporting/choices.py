from django.db import models


class Role(models.TextChoices):
    NATIONAL_FOCAL_POINT = "national_focal_point", "National focal point"
    ALTERNATE = "alternate", "Alternate focal point"
    CONTRIBUTOR = "contributor", "Contributor (drafts, cannot submit)"
    SECRETARIAT = "secretariat", "Secretariat reviewer"


FOCAL_POINT_ROLES = {Role.NATIONAL_FOCAL_POINT, Role.ALTERNATE, Role.CONTRIBUTOR}
SUBMITTING_ROLES = {Role.NATIONAL_FOCAL_POINT, Role.ALTERNATE}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"


EDITABLE_STATUSES = {ReportStatus.DRAFT, ReportStatus.RETURNED}


class EntryStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NO_INFORMATION = "no_information", "No information"
