from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import receivers
        from .filter_forms import watch_reference_model
        from .middleware import language_apply_at_login
        from .models import CompetenceArea, Municipality

        user_logged_in.connect(language_apply_at_login, dispatch_uid="portal_login_language")
        receivers.connect()
        for model in (CompetenceArea, Municipality):
            watch_reference_model(model)
