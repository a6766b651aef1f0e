from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = _("Offers")

    def ready(self) -> None:
        # Webhook events ride on the app's own domain signals (see `webhooks.py`).
        from portal import personal_data

        from . import personal_data as exporter
        from . import webhooks  # noqa: F401

        personal_data.register("offers", exporter.export)
        # Cached public pages go stale when an offer (or what it shows) changes.
        from . import receivers

        receivers.connect()
