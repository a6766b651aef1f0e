"""Version 1 of the REST API. Each app contributes the views for its own data; the routes are
listed here, in one place, so the version's surface is visible at a glance."""

from django.urls import path

from matching import api as matching_api
from matching import api_writes as matching_writes
from matching.barometer import api as barometer_api
from needs import api as needs_api
from needs import api_writes as needs_writes
from offers import api_bulk
from offers import api_writes as offers_writes

from . import api

urlpatterns = [
    path("municipalities/", api.MunicipalityList.as_view(), name="api-municipalities"),
    path("competence-areas/", api.CompetenceAreaList.as_view(), name="api-competence-areas"),
    path("offers/", offers_writes.OfferListCreate.as_view(), name="api-offers"),
    path("offers/bulk/", api_bulk.OfferBulkUpsert.as_view(), name="api-offers-bulk"),
    path("offers/<int:pk>/", offers_writes.OfferDetailUpdate.as_view(), name="api-offer"),
    path("offers/<int:pk>/publish/", offers_writes.OfferPublish.as_view(),
         name="api-offer-publish"),
    path("offers/<int:pk>/archive/", offers_writes.OfferArchive.as_view(),
         name="api-offer-archive"),
    path("offers/<int:pk>/unpublish/", offers_writes.OfferUnpublish.as_view(),
         name="api-offer-unpublish"),
    path("rounds/", needs_api.SurveyRoundList.as_view(), name="api-rounds"),
    path("needs/", needs_writes.NeedListCreate.as_view(), name="api-needs"),
    path("needs/<int:pk>/", needs_writes.NeedDetailUpdate.as_view(), name="api-need"),
    path("needs/<int:pk>/submit/", needs_writes.NeedSubmit.as_view(), name="api-need-submit"),
    path("needs/<int:pk>/withdraw/", needs_writes.NeedWithdraw.as_view(),
         name="api-need-withdraw"),
    path("matches/", matching_api.MatchList.as_view(), name="api-matches"),
    path("matches/<int:pk>/approve/", matching_writes.MatchApprove.as_view(),
         name="api-match-approve"),
    path("matches/<int:pk>/reject/", matching_writes.MatchReject.as_view(),
         name="api-match-reject"),
    path("matches/<int:pk>/propose/", matching_writes.MatchPropose.as_view(),
         name="api-match-propose"),
    path("matches/<int:pk>/enroll/", matching_writes.MatchEnroll.as_view(),
         name="api-match-enroll"),
    path("matches/<int:pk>/accept/", matching_writes.MatchAccept.as_view(),
         name="api-match-accept"),
    path("matches/<int:pk>/decline/", matching_writes.MatchDecline.as_view(),
         name="api-match-decline"),
    path("cohorts/", matching_api.CohortList.as_view(), name="api-cohorts"),
    path("gaps/", matching_api.GapReport.as_view(), name="api-gaps"),
    path("barometer/", barometer_api.BarometerData.as_view(), name="api-barometer"),
]
