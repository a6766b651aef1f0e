from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.provider_home, name="provider_home"),
]
