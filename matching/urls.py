from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.adviser_home, name="adviser_home"),
    path("proposals/", views.business_proposals, name="business_proposals"),
    path("cohort-requests/", views.provider_cohorts, name="provider_cohorts"),
]
