from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    # The business's side.
    path("", views.business_home, name="business_home"),
    path("new/", views.need_create, name="need_create"),
    path("<int:pk>/", views.need_detail, name="need_detail"),
    path("<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("<int:pk>/submit/", views.need_submit, name="need_submit"),
    path("<int:pk>/withdraw/", views.need_withdraw, name="need_withdraw"),
    path("areas/", views.area_search, name="area_search"),
    path("survey/", views.survey_start, name="survey_start"),
    path("survey/<int:rid>/step/<int:step>/", views.survey_step, name="survey_step"),
    path("survey/<int:rid>/needs/new/", views.survey_need_add, name="survey_need_add"),
    path("survey/<int:rid>/needs/<int:pk>/edit/", views.survey_need_edit,
         name="survey_need_edit"),
    path("survey/<int:rid>/needs/<int:pk>/delete/", views.survey_need_delete,
         name="survey_need_delete"),
    # The adviser's side.
    path("all/", views.adviser_list, name="adviser_list"),
    path("all/export/", views.adviser_export, name="adviser_export"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
