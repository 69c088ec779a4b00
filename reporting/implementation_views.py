"""The Secretariat's implementation reports: asked for on one page, made in the background,
downloaded as Word and PDF when ready."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from reporting import implementation
from reporting.implementation_forms import ImplementationReportForm
from reporting.models import ImplementationReport, ReportingCycle
from reporting.models.documents import DocumentStatus
from reporting.views import authorize

SHOWN = 20  # the newest drafts listed; older ones stay in the admin


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def implementation_reports(request):
    """The drafts made so far and the form that asks for a new one."""
    authorize(request)
    if request.method == "POST":
        form = ImplementationReportForm(request.POST)
        if form.is_valid():
            draft = implementation.request(actor=request.user, **form.cleaned_data)
            return redirect("implementation-report", draft.pk)
        status = 400
    else:
        cycle = ReportingCycle.objects.filter(opens_on__lte=timezone.localdate()).order_by(
            "-opens_on"
        ).first()  # fmt: skip
        initial = {"as_of": timezone.localdate(), "language": get_language(), "cycle": cycle}
        form, status = ImplementationReportForm(initial=initial), 200
    drafts = ImplementationReport.objects.select_related("cycle", "requested_by")[:SHOWN]
    return render(request, "reporting/implementation/list.html",
                  {"form": form, "drafts": drafts}, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def implementation_report(request, pk: int):
    """One draft: being made (the page looks again), ready (both files), or failed (try
    again)."""
    authorize(request)
    draft = get_object_or_404(ImplementationReport.objects.select_related("cycle"), pk=pk)
    if request.method == "POST":  # "Try again" after a failure
        if draft.status == DocumentStatus.FAILED:
            implementation.again(draft)
        return redirect("implementation-report", draft.pk)
    status = {DocumentStatus.QUEUED: 202, DocumentStatus.FAILED: 503}.get(draft.status, 200)
    response = render(request, "reporting/implementation/draft.html", {"draft": draft},
                      status=status)  # fmt: skip
    if status != 200:
        response["Retry-After"] = "5"
    return response


@login_required
@require_safe
def implementation_report_file(request, pk: int, kind: str):
    authorize(request)
    draft = get_object_or_404(ImplementationReport, pk=pk)
    if kind not in implementation.KINDS or draft.status != DocumentStatus.READY:
        return redirect("implementation-report", draft.pk)
    return implementation.file_response(draft, kind)
