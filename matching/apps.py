from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Connect to the needs/offers domain signals; they never import this app.
        from needs.selectors import outcome_offer_choices_register
        from portal import personal_data

        from . import personal_data as exporter
        from . import receivers  # noqa: F401
        from .outcome_choices import outcome_offer_choices_for
        from .selectors import outcome_offer_choices

        outcome_offer_choices_register(outcome_offer_choices, per_need=outcome_offer_choices_for)
        # What advisers decided and wrote, for their GDPR export (portal never imports us).
        personal_data.register("matching", exporter.export)
