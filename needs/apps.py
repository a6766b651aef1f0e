from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Competence needs")

    def ready(self) -> None:
        from portal import personal_data

        from . import personal_data as exporter

        personal_data.register("needs", exporter.export)
