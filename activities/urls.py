"""The public pages, at the URLs of the contract."""

from django.urls import path

from activities.views import activity, browse, downloads, home, range_state, species

urlpatterns = [
    path("", home.home, name="home"),
    path("activities/", activity.activity_list, name="activity-list"),
    path("activities/download.csv", downloads.download_csv, name="activity-download-csv"),
    path("activities/download.xlsx", downloads.download_xlsx, name="activity-download-xlsx"),
    path("activities/<str:ref>/", activity.activity_detail, name="activity-detail"),
    path("sections/", browse.section_list, name="section-list"),
    path("sections/<slug:slug>/", browse.section_detail, name="section-detail"),
    path("conservation-units/", browse.unit_list, name="unit-list"),
    path("conservation-units/<slug:slug>/", browse.unit_detail, name="unit-detail"),
    path("species/", browse.species_list, name="species-list"),
    path("species/<slug:slug>/", species.species_detail, name="species-detail"),
    path("range-states/", browse.range_state_list, name="range-state-list"),
    path("range-states/<str:iso3>/", range_state.range_state_detail, name="range-state-detail"),
]
