from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.adviser_home, name="adviser_home"),
]
