"""The public barometer at /barometer/ (the adviser's dashboard lives under /matching/)."""

from django.urls import path

from . import views

app_name = "barometer"

urlpatterns = [
    path("", views.public, name="public"),
    path("report.pdf", views.public_pdf, name="pdf"),
    path("data.csv", views.data_csv, name="data_csv"),
    path("dataset.jsonld", views.dataset_jsonld, name="dataset"),
]
