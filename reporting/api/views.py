"""The reporting API: the same services and the same permission table as the pages."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from activities.spreadsheets import XLSX
from conservation_units.models import RangeState
from reporting import services
from reporting.api.serializers import (
    CommentSerializer,
    CycleSerializer,
    EntrySerializer,
    EvidenceSerializer,
    ReportSerializer,
    ReportStartSerializer,
    ReviewSerializer,
    TemplateUploadSerializer,
    UploadRefusedSerializer,
    UploadResultSerializer,
)
from reporting.choices import ReportStatus
from reporting.excel.review import review_workbook
from reporting.excel.template import filename, template_workbook
from reporting.excel.upload import TemplateConflict, TemplateRefused, upload_template
from reporting.models import Evidence, NationalReport, ReportEntry, ReportingCycle, ReviewComment
from reporting.permissions import Actor, check, visible_reports
from reporting.selectors import report_page_queryset


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Reporting cycles: the period each covers and its opening, due and closing dates."""

    queryset = ReportingCycle.objects.all()
    serializer_class = CycleSerializer
    lookup_field = "slug"

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated])
    def workbook(self, request, slug=None):
        """The Secretariat's review workbook for the cycle: summary, matrix, entries, chart."""
        cycle = self.get_object()
        if not Actor.of(request.user).is_secretariat:
            raise PermissionDenied(_("The review workbook is for the Secretariat."))
        return review_workbook(cycle).response(f"cami-review-{cycle.slug}.xlsx")


class ReportFilterSet(django_filters.FilterSet):
    cycle = django_filters.CharFilter(field_name="cycle__slug")
    range_state = django_filters.CharFilter(field_name="range_state__iso3")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = NationalReport
        fields = ["cycle", "range_state", "status"]


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """National reports you may see; POST starts your state's report; actions move it along."""

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

    def _act(self, request, run):
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        report = run(self.get_object(), review.validated_data)
        return Response(ReportSerializer(report).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, lambda r, d: services.submit_report(report=r, actor=request.user))

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, lambda r, d: services.accept_report(
            report=r, actor=request.user, comment=d.get("text", "")))  # fmt: skip

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._act(request, lambda r, d: services.return_report(
            report=r, actor=request.user, comment=d.get("text", ""),
            entry_comments={int(k): v for k, v in d.get("entry_comments", {}).items()
                            if str(k).isdigit()}))  # fmt: skip

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated])
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
        check(request.user, "edit_entry", report)
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
        return self._act(request, lambda r, d: services.recall_report(
            report=r, actor=request.user, reason=d.get("text", "")))  # fmt: skip


def _visible_entries(user):
    return ReportEntry.objects.filter(
        report__in=visible_reports(user, NationalReport.objects.all())
    ).select_related("activity", "prefilled_from", "modified_by")


class EntryViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Entries of the reports you may see. PATCH with the `revision` you loaded; 409 if stale."""

    serializer_class = EntrySerializer
    filterset_fields = ["report", "status"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return _visible_entries(self.request.user).order_by("report", "activity__position")

    def partial_update(self, request, pk=None):
        entry = self.get_object()
        incoming = EntrySerializer(entry, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = {k: v for k, v in incoming.validated_data.items() if k != "revision"}
        if "revision" not in incoming.validated_data:
            return Response({"revision": [_("Send the revision you loaded.")]}, status=400)
        try:
            entry = services.save_entry(entry=entry, actor=request.user, data=data,
                                        expected_revision=incoming.validated_data["revision"],
                                        source="API")  # fmt: skip
        except services.EntryConflict as conflict:
            body = {"detail": str(conflict), "current": EntrySerializer(conflict.current).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(EntrySerializer(entry).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class EvidenceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Links and files supporting entries; POST a link or a multipart file upload."""

    serializer_class = EvidenceSerializer
    filterset_fields = ["entry"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        entries = _visible_entries(self.request.user)
        return (
            Evidence.objects.filter(entry__in=entries).select_related("uploaded_by").order_by("pk")
        )

    def create(self, request):
        incoming = EvidenceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        entry = get_object_or_404(
            _visible_entries(request.user), pk=incoming.validated_data["entry"].pk
        )
        evidence = services.add_evidence(entry=entry, actor=request.user,
                                         url=incoming.validated_data.get("url", ""),
                                         upload=incoming.validated_data.get("file"))  # fmt: skip
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class CommentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Review comments on reports and entries."""

    serializer_class = CommentSerializer
    filterset_fields = ["report", "entry"]

    def get_queryset(self):
        reports = visible_reports(self.request.user, NationalReport.objects.all())
        return (
            ReviewComment.objects.filter(report__in=reports).select_related("author").order_by("pk")
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
