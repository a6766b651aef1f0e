from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("", views.business_home, name="business_home"),
    path("all/", views.adviser_list, name="adviser_list"),
]
