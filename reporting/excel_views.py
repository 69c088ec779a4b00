"""Pages of the Excel round trip: the template's download and upload, a version's workbook, the
review workbook."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_safe

from reporting.excel.review import review_workbook
from reporting.excel.template import filename, template_workbook
from reporting.excel.upload import TemplateConflict, TemplateRefused, upload_template
from reporting.excel.version import version_workbook
from reporting.forms import TemplateUploadForm
from reporting.models import ReportingCycle
from reporting.views import authorize, authorized_report, authorized_version


@login_required
@require_safe
def template_download(request, cycle: str, iso3: str):
    report = authorized_report(request, cycle, iso3)
    return template_workbook(report).response(filename(report))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_upload(request, cycle: str, iso3: str):
    """The filled template, checked as a whole: saved entirely, or refused with every reason."""
    report = authorized_report(request, cycle, iso3)
    context, status = {"report": report, "form": TemplateUploadForm()}, 200
    if request.method == "POST":
        form = TemplateUploadForm(request.POST, request.FILES)
        context["form"], status = form, 400
        if form.is_valid():
            try:
                context["result"] = upload_template(
                    report=report, actor=request.user, upload=form.cleaned_data["file"],
                    overwrite=form.cleaned_data["overwrite"],
                )  # fmt: skip
                context["form"], status = TemplateUploadForm(), 200
            except TemplateRefused as refusal:
                context["errors"] = refusal.errors
            except TemplateConflict as conflict:
                context["conflict"], status = conflict, 409
    return render(request, "reporting/template_upload.html", context, status=status)


@require_safe
def version_workbook_download(request, cycle: str, iso3: str, number: int):
    """A version as submitted, to those who may read it (everyone, once it is accepted)."""
    report, version = authorized_version(request, cycle, iso3, number)
    report_file = f"{report.range_state.iso3}-{report.cycle.slug}-v{version.number}.xlsx"
    return version_workbook(version).response(report_file)


@login_required
@require_safe
def review_workbook_download(request, cycle: str):
    authorize(request)
    cycle = get_object_or_404(ReportingCycle, slug=cycle)
    return review_workbook(cycle).response(f"cami-review-{cycle.slug}.xlsx")
