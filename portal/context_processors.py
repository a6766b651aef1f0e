from django.conf import settings


def portal(request):
    """The site's name; the menu asks for the visitor's roles itself ({% site_navigation %})."""
    return {"site_name": settings.SITE_NAME}
