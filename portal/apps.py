from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import receivers
        from .middleware import language_apply_at_login

        user_logged_in.connect(language_apply_at_login, dispatch_uid="portal_login_language")
        receivers.connect()
