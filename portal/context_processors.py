import functools

from django.conf import settings

from . import access


def portal(request):
    """Role flags for navigation. Lazy so pages that don't render the menu pay nothing."""
    user = getattr(request, "user", None)

    @functools.cache  # the template calls it once per `roles.x`; ask the database once
    def roles():
        if not user or not user.is_authenticated:
            return {"business": False, "provider": False, "adviser": False}
        kinds = access.organisation_kinds(user)
        return {
            "business": "business" in kinds,
            "provider": "provider" in kinds,
            "adviser": access.is_adviser(user),
        }

    def unread_notifications():
        from .notifications import unread_count

        return unread_count(user=user)

    return {"site_name": settings.SITE_NAME, "roles": roles,
            "unread_notifications": unread_notifications}
