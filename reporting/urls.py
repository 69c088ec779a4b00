from django.urls import path

from reporting import (
    dashboard_views,
    design_views,
    document_views,
    excel_views,
    implementation_views,
    people_views,
    published_views,
    review_views,
    views,
)

FORMS = "review/forms/<slug:cycle>/"

REPORT = "reporting/<slug:cycle>/<str:iso3>/"

urlpatterns = [
    path("reporting/", views.reporting_home, name="reporting-home"),
    path("national-reports/", published_views.published_reports, name="published-reports"),
    path(
        "national-reports/<slug:cycle>/",
        published_views.published_reports,
        name="published-reports-cycle",
    ),
    path(REPORT, views.report_detail, name="report-detail"),
    path(f"{REPORT}start/", views.report_start, name="report-start"),
    path(f"{REPORT}answers/", views.report_answers, name="report-answers"),
    path(f"{REPORT}sections/<slug:section>/", views.report_section, name="report-section"),
    path(f"{REPORT}entries/<int:pk>/", views.entry_edit, name="entry-edit"),
    path(f"{REPORT}entries/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path(f"{REPORT}evidence/<int:pk>/", views.evidence_file, name="evidence-download"),
    path(f"{REPORT}evidence/<int:pk>/change/", views.evidence_change, name="evidence-change"),
    path(f"{REPORT}on-behalf/", views.report_on_behalf, name="report-on-behalf"),
    path(f"{REPORT}versions/<int:number>/", views.report_version, name="report-version"),
    path(
        f"{REPORT}versions/<int:number>/<str:variant>.pdf",
        document_views.version_pdf,
        name="report-version-pdf",
    ),
    path(
        f"{REPORT}versions/<int:number>.xlsx",
        excel_views.version_workbook_download,
        name="report-version-workbook",
    ),
    path(f"{REPORT}template.xlsx", excel_views.template_download, name="report-template"),
    path(f"{REPORT}upload/", excel_views.template_upload, name="report-upload"),
    path(f"{REPORT}submit/", views.report_submit, name="report-submit"),
    # Before the catch-all of transitions below: "review" is not one of them.
    path(f"{REPORT}review/", review_views.review_page, name="report-review"),
    path(f"{REPORT}review/entries/<int:pk>/", review_views.entry_review, name="entry-review"),
    path(f"{REPORT}review/<str:action>/", review_views.decision, name="review-decision"),
    path(f"{REPORT}<str:action>/", views.report_action, name="report-action"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/forms/", design_views.form_list, name="form-list"),
    path(FORMS, design_views.form_page, name="form-design"),
    path(f"{FORMS}sections/new/", design_views.form_section, name="form-section-new"),
    path(f"{FORMS}sections/<int:position>/", design_views.form_section, name="form-section"),
    path(f"{FORMS}questions/new/", design_views.form_question, name="form-question-new"),
    path(f"{FORMS}questions/<str:code>/", design_views.form_question, name="form-question"),
    path(f"{FORMS}preview/", design_views.form_preview, name="form-preview"),
    path("review/<slug:cycle>.xlsx", excel_views.review_workbook_download, name="review-workbook"),
    path("review/people/", people_views.people, name="people"),
    path(
        "review/implementation-reports/",
        implementation_views.implementation_reports,
        name="implementation-reports",
    ),
    path(
        "review/implementation-reports/<int:pk>/",
        implementation_views.implementation_report,
        name="implementation-report",
    ),
    path(
        "review/implementation-reports/<int:pk>.<str:kind>",
        implementation_views.implementation_report_file,
        name="implementation-report-file",
    ),
    path(
        "invitation/<str:uidb64>/<str:token>/",
        people_views.invitation_accept,
        name="invitation-accept",
    ),  # fmt: skip
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path(
        "dashboard/<slug:table>.<str:extension>",
        dashboard_views.dashboard_download,
        name="dashboard-download",
    ),  # fmt: skip
]
