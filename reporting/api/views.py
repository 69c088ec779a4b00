"""The reporting API: the same services and the same permission table as the pages."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from activities.spreadsheets import XLSX
from cami.api_language import InLanguageAsked
from conservation_units.models import RangeState
from reporting import documents, services
from reporting.api.serializers import (
    LEGACY_FIELDS,
    LEGACY_SUNSET,
    CommentSerializer,
    CycleSerializer,
    EntrySerializer,
    EvidenceSerializer,
    EvidenceTitleSerializer,
    ReportAnswersSerializer,
    ReportingFormSerializer,
    ReportSerializer,
    ReportStartSerializer,
    ReviewSerializer,
    TemplateUploadSerializer,
    UploadRefusedSerializer,
    UploadResultSerializer,
)
from reporting.choices import ReportStatus
from reporting.downloads import evidence_response
from reporting.excel.review import review_workbook
from reporting.excel.template import filename, template_workbook
from reporting.excel.upload import TemplateConflict, TemplateRefused, upload_template
from reporting.models import (
    Evidence,
    NationalReport,
    Question,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
)
from reporting.models.documents import DocumentStatus, Variant
from reporting.permissions import (
    API,
    GLOBAL_RULES,
    can,
    check,
    private_reports,
    visible_reports,
)
from reporting.selectors import report_page_queryset


def _report_of(obj) -> NationalReport:
    if isinstance(obj, NationalReport):
        return obj
    if isinstance(obj, Evidence):
        return obj.entry.report
    return obj.report  # entries and comments


# OPTIONS (DRF's "metadata") and unknown methods describe the endpoint; they read no data.
DESCRIBES_ONLY = {None, "metadata"}


class FollowsTheTable(BasePermission):
    """Each API action is decided by the rule `permissions.API` names for it."""

    def _rule(self, view) -> str:
        return API[(view.basename, view.action.rstrip("_"))]  # return_ is "return"

    def has_permission(self, request, view):
        if view.action in DESCRIBES_ONLY:
            return True
        rule = self._rule(view)
        if rule in GLOBAL_RULES:
            check(request.user, rule)
        return True

    def has_object_permission(self, request, view, obj):
        if view.action in DESCRIBES_ONLY:
            return True
        rule = self._rule(view)
        if rule not in GLOBAL_RULES:
            check(request.user, rule, _report_of(obj), obj)
        return True


class ReportingViewSet(InLanguageAsked, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly, FollowsTheTable]


class CycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReportingViewSet):
    """Reporting cycles: the period each covers and its opening, due and closing dates."""

    not_found = gettext_lazy("No reporting cycle with this slug.")
    queryset = ReportingCycle.objects.all()
    serializer_class = CycleSerializer
    lookup_field = "slug"

    @extend_schema(
        responses=ReportingFormSerializer,
        parameters=[OpenApiParameter("revision", int, description=gettext_lazy(
            "An earlier revision of the form; the latest when absent."))],
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def form(self, request, slug=None):
        """The cycle's reporting form as data: its latest revision (`?revision=` for another),
        sections asked once per report or for every activity, and their questions."""
        cycle = self.get_object()
        forms = cycle.forms.prefetch_related(
            Prefetch("sections__questions", Question.objects.order_by("position", "pk"))
        )
        wanted = request.query_params.get("revision")
        if wanted is not None and not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 5):
            return Response({"revision": [_("A revision is a whole number.")]}, status=400)
        form = (
            forms.filter(revision=int(wanted)) if wanted else forms.order_by("-revision")
        ).first()
        if form is None:
            body = {"detail": _("This cycle's form has no revision %(revision)s.")
                    % {"revision": wanted or 1}}  # fmt: skip
            return Response(body, status=status.HTTP_404_NOT_FOUND)
        return Response(ReportingFormSerializer(form).data)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated, FollowsTheTable])
    def workbook(self, request, slug=None):
        """The Secretariat's review workbook for the cycle: summary, matrix, entries, chart."""
        cycle = self.get_object()
        return review_workbook(cycle).response(f"cami-review-{cycle.slug}.xlsx")


def _by_id(model) -> django_filters.ModelChoiceFilter:
    """A filter by id that refuses an unknown one, typed as a number: the browsable API draws
    filters as a form, and a menu would list every report or entry there is."""
    return django_filters.ModelChoiceFilter(queryset=model.objects.all(), widget=forms.NumberInput)


class EntryFilterSet(django_filters.FilterSet):
    report = _by_id(NationalReport)

    class Meta:
        model = ReportEntry
        fields = ["report", "status"]


class EvidenceFilterSet(django_filters.FilterSet):
    entry = _by_id(ReportEntry)

    class Meta:
        model = Evidence
        fields = ["entry"]


class CommentFilterSet(django_filters.FilterSet):
    report = _by_id(NationalReport)
    entry = _by_id(ReportEntry)

    class Meta:
        model = ReviewComment
        fields = ["report", "entry"]


class ReportFilterSet(django_filters.FilterSet):
    cycle = django_filters.CharFilter(field_name="cycle__slug")
    range_state = django_filters.CharFilter(field_name="range_state__iso3")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = NationalReport
        fields = ["cycle", "range_state", "status"]


class ReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    ReportingViewSet):  # fmt: skip
    """National reports you may see; POST starts your state's report; actions move it along."""

    not_found = gettext_lazy("No report with this id that you may see.")
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return visible_reports(self.request.user, report_page_queryset()).order_by("pk")

    @extend_schema(request=ReportStartSerializer, responses={201: ReportSerializer})
    def create(self, request):
        start = ReportStartSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        cycle = start.validated_data["cycle"]
        state = get_object_or_404(
            RangeState.objects.range_states(), iso3=start.validated_data["range_state"].upper()
        )
        report = services.open_report(cycle=cycle, range_state=state, actor=request.user)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    def _act(self, request, action_name: str):
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        data = review.validated_data
        report = services.perform(
            action_name, report=self.get_object(), actor=request.user, text=data.get("text", ""),
            entry_comments={int(k): v for k, v in data.get("entry_comments", {}).items()
                            if str(k).isdigit()},
            even_so=data.get("even_so", False),
        )  # fmt: skip
        return Response(ReportSerializer(report).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, "submit")

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Takes back a submission the Secretariat has not started reviewing."""
        return self._act(request, "withdraw")

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return self._act(request, "start_review")

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, "accept")

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._act(request, "return")

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description=gettext_lazy(
                "The submitted version; the latest you may read when absent.")),
            OpenApiParameter("variant", str, enum=Variant.values, description=gettext_lazy(
                "complete (default), or answered entries only.")),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                   202: OpenApiResponse(description=gettext_lazy(
                       "Being made: ask the same address again (Retry-After seconds)."))},
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """A submitted version as PDF, in the language of the request (Accept-Language):
        the file once made; 202 while the task queue makes it; 503 if making it failed."""
        report = self.get_object()
        versions = report.versions.order_by("-number")
        if not can(request.user, "view_history", report):
            versions = versions.exclude(accepted_at=None)
        wanted, variant = request.query_params.get("version"), request.query_params.get(
            "variant", Variant.COMPLETE)  # fmt: skip
        if variant not in Variant.values:
            return Response({"variant": [_("Choose complete or answered.")]}, status=400)
        if wanted is not None and not (wanted.isascii() and wanted.isdigit() and len(wanted) < 5):
            return Response({"version": [_("A version is a whole number.")]}, status=400)
        version = (versions.filter(number=int(wanted)) if wanted else versions).first()
        if version is None:
            return Response({"detail": _("No submitted version of this report that you may "
                                         "read.")}, status=404)  # fmt: skip
        check(request.user, "view_version", report, version)
        document = documents.request_pdf(version=version, variant=variant,
                                         language=get_language(), actor=request.user)  # fmt: skip
        if document.status == DocumentStatus.READY:
            return documents.file_response(document)
        body = {"status": document.status, "url": request.build_absolute_uri(),
                "detail": document.error}  # fmt: skip
        code = 503 if document.status == DocumentStatus.FAILED else 202
        return Response(body, status=code, headers={"Retry-After": "3"})

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated, FollowsTheTable])
    def template(self, request, pk=None):
        """The report as an offline Excel template, filled with its current answers."""
        report = self.get_object()
        return template_workbook(report).response(filename(report))

    @extend_schema(
        request={"multipart/form-data": TemplateUploadSerializer},
        responses={
            200: UploadResultSerializer,
            400: OpenApiResponse(
                UploadRefusedSerializer, gettext_lazy("Refused; every problem is listed.")
            ),
            409: OpenApiResponse(
                UploadRefusedSerializer, gettext_lazy("Entries changed online meanwhile.")
            ),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request, pk=None):
        """A filled template: saved whole, or refused with every problem and nothing saved."""
        report = self.get_object()
        incoming = TemplateUploadSerializer(data=request.data)
        if not incoming.is_valid():  # answered in the same shape as a refused file
            errors = [f"{name}: {message}" for name, messages in incoming.errors.items()
                      for message in messages]  # fmt: skip
            body = {"detail": _("Nothing was saved."), "errors": errors}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = upload_template(report=report, actor=request.user,
                                     upload=incoming.validated_data["file"],
                                     overwrite=incoming.validated_data["overwrite"])  # fmt: skip
        except TemplateRefused as refusal:
            body = {"detail": _("Nothing was saved."), "errors": refusal.errors}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except TemplateConflict as conflict:
            body = {"detail": str(conflict), "conflicts": [vars(c) for c in conflict.conflicts]}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(UploadResultSerializer(result).data)

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        return self._act(request, "recall")

    @extend_schema(
        request=ReportAnswersSerializer,
        responses={200: ReportSerializer, 409: OpenApiResponse(
            description=gettext_lazy("Saved by someone else since `revision`."))},
    )  # fmt: skip
    @action(detail=True, methods=["patch"])
    def answers(self, request, pk=None):
        """The answers to the questions asked once per report (PATCH only those you change)."""
        report = self.get_object()
        incoming = ReportAnswersSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            report = services.save_report_answers(
                report=report, actor=request.user, data=incoming.validated_data["answers"],
                expected_revision=incoming.validated_data["revision"], source="API",
            )  # fmt: skip
        except services.ReportAnswersConflict as conflict:
            body = {"detail": str(conflict), "current": ReportSerializer(conflict.current).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return Response(_answer_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(ReportSerializer(report).data)


def _answer_errors(error: ValidationError) -> dict:
    """A refused answer, as DRF words field errors: {"answers": {code: [messages]}}."""
    if hasattr(error, "error_dict"):
        return {"answers": {code: [m for e in errors for m in e.messages]
                            for code, errors in error.error_dict.items()}}  # fmt: skip
    return {"answers": {"answers": error.messages}}


def _visible_entries(user):
    return visible_reports(user, ReportEntry.objects.all(), prefix="report__").select_related(
        "activity", "prefilled_from", "modified_by", "report__cycle", "report__range_state"
    )


class EntryViewSet(mixins.UpdateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   ReportingViewSet):  # fmt: skip
    """Entries of the reports you may see. PATCH with the `revision` you loaded; 409 if stale."""

    not_found = gettext_lazy("No report entry with this id that you may see.")
    serializer_class = EntrySerializer
    filterset_class = EntryFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return _visible_entries(self.request.user).order_by("report", "activity__position")

    def partial_update(self, request, pk=None):
        entry = self.get_object()
        incoming = EntrySerializer(entry, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        if "revision" not in incoming.validated_data:
            return Response({"revision": [_("Send the revision you loaded.")]}, status=400)
        try:
            entry = services.save_entry(entry=entry, actor=request.user,
                                        data=incoming.incoming_answers(),
                                        expected_revision=incoming.validated_data["revision"],
                                        source="API")  # fmt: skip
        except services.EntryConflict as conflict:
            body = {"detail": str(conflict), "current": EntrySerializer(conflict.current).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return Response(_answer_errors(error), status=status.HTTP_400_BAD_REQUEST)
        response = Response(EntrySerializer(entry).data)
        if set(LEGACY_FIELDS) & set(request.data):  # RFC 8594: say when the old shape ends
            response["Deprecation"] = "true"
            response["Sunset"] = LEGACY_SUNSET
        return response

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class EvidenceViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.DestroyModelMixin, ReportingViewSet):  # fmt: skip
    """Links and files supporting entries: POST a link or a multipart file upload; PATCH its
    `title`; DELETE it while the report can be changed. A file is downloaded from the address
    in `file`, which asks the same permissions as the report."""

    not_found = gettext_lazy("No evidence with this id that you may see.")
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        entries = _visible_entries(self.request.user)
        return (
            Evidence.objects.filter(entry__in=entries)
            .select_related("uploaded_by", "entry__report__cycle", "entry__report__range_state")
            .order_by("pk")
        )

    def create(self, request):
        incoming = EvidenceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        entry = get_object_or_404(
            _visible_entries(request.user), pk=incoming.validated_data["entry"].pk
        )
        data = incoming.validated_data
        evidence = services.add_evidence(
            entry=entry,
            actor=request.user,
            url=data.get("url", ""),
            upload=data.get("file"),
            title=data.get("title", ""),
        )
        return Response(self.get_serializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvidenceTitleSerializer, responses=EvidenceSerializer)
    def partial_update(self, request, pk=None):
        evidence = self.get_object()
        incoming = EvidenceTitleSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.rename_evidence(evidence=evidence, actor=request.user,
                                 title=incoming.validated_data["title"])  # fmt: skip
        return Response(self.get_serializer(evidence).data)

    def perform_destroy(self, instance):
        services.remove_evidence(evidence=instance, actor=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The evidence's file, as an attachment."""
        return evidence_response(self.get_object())


class CommentViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     ReportingViewSet):  # fmt: skip
    """Review comments on reports and entries: for the Secretariat and the report's own state,
    never public, even once the report is accepted."""

    not_found = gettext_lazy("No comment with this id that you may see.")
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet

    def get_queryset(self):
        return (
            private_reports(self.request.user, ReviewComment.objects.all(), prefix="report__")
            .select_related("author", "report__range_state")
            .order_by("pk")
        )

    def create(self, request):
        incoming = CommentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = get_object_or_404(
            visible_reports(request.user, report_page_queryset()),
            pk=incoming.validated_data["report"].pk,
        )
        comment = services.add_comment(report=report, actor=request.user,
                                       text=incoming.validated_data["text"],
                                       entry=incoming.validated_data.get("entry"))  # fmt: skip
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
