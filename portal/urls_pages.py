from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("codes/", views.codes_page, name="codes"),
    path("codes.csv", views.codes_csv, name="codes_csv"),
    path("account/", views.account, name="account"),
    path("account/export/", views.account_export, name="account_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/notifications/", views.notification_settings,
         name="notification_settings"),
    path("notifications/", views.notification_list, name="notifications"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", views.job_fragment, name="job_fragment"),
    path("jobs/<int:pk>/status.json", views.job_status_json, name="job_status"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("language/", views.language_set, name="language_set"),
    path("organisation/", views.organisation_start, name="organisation_start"),
    path("organisation/register/", views.organisation_register,
         name="organisation_register"),
    path("organisation/join/<str:orgnr>/", views.organisation_join,
         name="organisation_join"),
    path("organisation/switch/", views.organisation_switch,
         name="organisation_switch"),
    path("organisation/<int:pk>/members/", views.organisation_members,
         name="organisation_members"),
    path("organisation/<int:pk>/profile/", views.organisation_profile,
         name="organisation_profile"),
    path("join-requests/<int:pk>/decide/", views.join_request_decide,
         name="join_request_decide"),
    path("memberships/<int:pk>/", views.membership_change,
         name="membership_change"),
]
