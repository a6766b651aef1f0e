"""Version 1 of the REST API. Each app contributes the views for its own data; the routes are
listed here, in one place, so the version's surface is visible at a glance."""

from django.urls import path

from matching import api as matching_api
from matching.barometer import api as barometer_api
from needs import api as needs_api
from offers import api as offers_api

from . import api

urlpatterns = [
    path("municipalities/", api.MunicipalityList.as_view(), name="api-municipalities"),
    path("competence-areas/", api.CompetenceAreaList.as_view(), name="api-competence-areas"),
    path("offers/", offers_api.OfferList.as_view(), name="api-offers"),
    path("offers/<int:pk>/", offers_api.OfferDetail.as_view(), name="api-offer"),
    path("needs/", needs_api.NeedList.as_view(), name="api-needs"),
    path("needs/<int:pk>/", needs_api.NeedDetail.as_view(), name="api-need"),
    path("matches/", matching_api.MatchList.as_view(), name="api-matches"),
    path("cohorts/", matching_api.CohortList.as_view(), name="api-cohorts"),
    path("gaps/", matching_api.GapReport.as_view(), name="api-gaps"),
    path("barometer/", barometer_api.BarometerData.as_view(), name="api-barometer"),
]
