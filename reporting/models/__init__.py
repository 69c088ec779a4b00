from reporting.models.cycles import ReportingCycle
from reporting.models.documents import ImplementationReport, ReportDocument
from reporting.models.entries import Evidence, ReportEntry, ReviewComment
from reporting.models.forms import FormSection, Question, ReportingForm
from reporting.models.mail import OutgoingEmail, ScheduledRun
from reporting.models.reports import NationalReport, ReportVersion
from reporting.models.roles import ReportingRole

__all__ = [
    "Evidence",
    "FormSection",
    "ImplementationReport",
    "Question",
    "ReportingForm",
    "NationalReport",
    "OutgoingEmail",
    "ReportEntry",
    "ReportDocument",
    "ReportVersion",
    "ReportingCycle",
    "ReportingRole",
    "ReviewComment",
    "ScheduledRun",
]
