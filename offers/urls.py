from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("mine/", views.provider_home, name="provider_home"),
    path("mine/new/", views.offer_create, name="create"),
    path("mine/<int:pk>/", views.offer_edit, name="edit"),
    path("mine/<int:pk>/<slug:action>/", views.offer_action, name="action"),
    path("mine/import/", views.import_upload, name="import"),
    path("mine/import/preview/", views.import_preview, name="import_preview"),
    path("mine/import/confirm/", views.import_confirm, name="import_confirm"),
    path("mine/import/template.<str:fmt>", views.import_template, name="import_template"),
]
