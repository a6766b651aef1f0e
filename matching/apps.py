from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Connect to the needs/offers domain signals; they never import this app.
        from needs.selectors import outcome_offer_choices_register

        from . import receivers  # noqa: F401
        from .selectors import outcome_offer_choices

        outcome_offer_choices_register(outcome_offer_choices)
