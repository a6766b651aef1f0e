from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Competence needs")

    def ready(self) -> None:
        # Webhook events ride on the app's own domain signals (see `webhooks.py`).
        from portal import personal_data
        from portal.filter_forms import watch_reference_model

        from . import personal_data as exporter
        from . import webhooks  # noqa: F401

        personal_data.register("needs", exporter.export)
        # The adviser's need filters list the rounds (portal.filter_forms keeps them rendered).
        watch_reference_model(self.get_model("SurveyRound"))
