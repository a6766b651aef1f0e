from django.urls import path

from . import views, views_organisations

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/", views.account, name="account"),
    path("account/export/", views.account_export, name="account_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("organisation/", views_organisations.organisation_start, name="organisation_start"),
    path("organisation/register/", views_organisations.organisation_register,
         name="organisation_register"),
    path("organisation/join/<str:orgnr>/", views_organisations.organisation_join,
         name="organisation_join"),
    path("organisation/switch/", views_organisations.organisation_switch,
         name="organisation_switch"),
    path("organisation/<int:pk>/members/", views_organisations.organisation_members,
         name="organisation_members"),
    path("organisation/<int:pk>/profile/", views_organisations.organisation_profile,
         name="organisation_profile"),
    path("join-requests/<int:pk>/decide/", views_organisations.join_request_decide,
         name="join_request_decide"),
    path("memberships/<int:pk>/", views_organisations.membership_change,
         name="membership_change"),
    path("claims/", views_organisations.claim_list, name="claim_list"),
    path("claims/<int:pk>/decide/", views_organisations.claim_decide, name="claim_decide"),
]
