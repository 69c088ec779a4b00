from reporting.models.cycles import ReportingCycle
from reporting.models.entries import Evidence, ReportEntry, ReviewComment
from reporting.models.reports import NationalReport, ReportVersion
from reporting.models.roles import ReportingRole

__all__ = [
    "Evidence",
    "NationalReport",
    "ReportEntry",
    "ReportVersion",
    "ReportingCycle",
    "ReportingRole",
    "ReviewComment",
]
