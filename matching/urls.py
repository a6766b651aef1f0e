from django.urls import path

from . import views
from .barometer import views as barometer_views

app_name = "matching"

urlpatterns = [
    # Adviser
    path("", views.adviser_home, name="adviser_home"),
    path("matches/bulk/", views.match_bulk, name="match_bulk"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/transition/", views.match_transition, name="match_transition"),
    path("matches/<int:pk>/note/", views.match_note, name="match_note"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/send/", views.cohort_send, name="cohort_send"),
    path("gaps/", views.gap_report, name="gap_report"),
    path("gaps.csv", views.gap_report_csv, name="gap_report_csv"),
    path("barometer/", barometer_views.dashboard, name="barometer"),
    path("barometer/report.pdf", barometer_views.dashboard_pdf, name="barometer_pdf"),
    path("barometer/export.xlsx", barometer_views.dashboard_xlsx, name="barometer_xlsx"),
    path("barometer/<slug:table_id>.csv", barometer_views.dashboard_csv, name="barometer_csv"),
    path("settings/", views.matching_settings, name="settings"),
    path("settings/rematch/", views.rematch_now, name="rematch_now"),
    path("settings/apply-tuned/", views.apply_tuned_weights, name="apply_tuned_weights"),
    # Business
    path("proposals/", views.business_proposals, name="business_proposals"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
    path("offers/<int:pk>/interest/", views.offer_interest, name="offer_interest"),
    # Provider
    path("cohort-requests/", views.provider_cohorts, name="provider_cohorts"),
    path("demand/", views.provider_demand, name="provider_demand"),
    path("cohort-requests/<int:pk>/", views.provider_request, name="provider_request"),
]
