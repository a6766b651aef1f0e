from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/", views.account, name="account"),
    path("account/export/", views.account_export, name="account_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/tokens/", views.api_token_create, name="api_token_create"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke,
         name="api_token_revoke"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/deliveries/<int:pk>/resend/", views.webhook_resend,
         name="webhook_resend"),
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
