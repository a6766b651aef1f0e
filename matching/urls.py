from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    # Adviser
    path("", views.adviser_home, name="adviser_home"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/transition/", views.match_transition, name="match_transition"),
    path("matches/<int:pk>/note/", views.match_note, name="match_note"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/send/", views.cohort_send, name="cohort_send"),
    path("gaps/", views.gap_report, name="gap_report"),
    path("gaps.csv", views.gap_report_csv, name="gap_report_csv"),
    path("settings/", views.matching_settings, name="settings"),
    path("settings/rematch/", views.rematch_now, name="rematch_now"),
    path("settings/apply-tuned/", views.apply_tuned_weights, name="apply_tuned_weights"),
    # Business
    path("proposals/", views.business_proposals, name="business_proposals"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
    # Provider
    path("cohort-requests/", views.provider_cohorts, name="provider_cohorts"),
    path("cohort-requests/<int:pk>/", views.provider_request, name="provider_request"),
]
