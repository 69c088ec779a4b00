"""/api/v1/: every app's read-only endpoints on one router."""

from rest_framework.routers import APIRootView, DefaultRouter

from activities.api.views import (
    ActivityViewSet,
    IndicatorViewSet,
    ResponsiblePartyViewSet,
    SectionViewSet,
)
from cami.api_language import InLanguageAsked
from conservation_units.api.views import ConservationUnitViewSet, RangeStateViewSet
from reporting.api.views import (
    CommentViewSet,
    CycleViewSet,
    EntryViewSet,
    EvidenceViewSet,
    ReportViewSet,
)
from species.api.views import InstrumentViewSet, SpeciesViewSet


class Root(InLanguageAsked, APIRootView):
    schema = None  # as DRF's: the list of endpoints is not an operation of the API


class Router(DefaultRouter):
    """Any lookup value reaches the viewset, which answers a JSON 404 for an unknown one."""

    APIRootView = Root

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        return rf"(?P<{lookup_prefix}{viewset.lookup_field}>[^/]+)"


router = Router()
router.register("sections", SectionViewSet, basename="section")
router.register("activities", ActivityViewSet, basename="activity")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("responsible-parties", ResponsiblePartyViewSet, basename="responsible-party")
router.register("species", SpeciesViewSet, basename="species")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("range-states", RangeStateViewSet, basename="range-state")
router.register("conservation-units", ConservationUnitViewSet, basename="conservation-unit")
router.register("cycles", CycleViewSet, basename="cycle")
router.register("reports", ReportViewSet, basename="report")
router.register("entries", EntryViewSet, basename="entry")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("comments", CommentViewSet, basename="comment")

urlpatterns = router.urls
