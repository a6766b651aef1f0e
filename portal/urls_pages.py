from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisation/", views.organisation_start, name="organisation_start"),
]

urlpatterns += [path("account/", views.account, name="account")]
