"""Version 1 of the REST API. Each app contributes the routes for its own data."""

from django.urls import path

from . import api

urlpatterns = [
    path("municipalities/", api.MunicipalityList.as_view(), name="api-municipalities"),
    path("competence-areas/", api.CompetenceAreaList.as_view(), name="api-competence-areas"),
]
