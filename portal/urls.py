from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from portal.health import healthz
from portal.views.api_docs import RedocView

# The admin signs in through allauth's login: its rate limits and lockout, the verified-address
# rule and the second factor (staff need one, see portal.middleware) apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the pages' empty prefix, whose every route an API request would first fail.
    path("api/v1/", include("portal.urls_api")),
    path("", include("portal.urls_pages")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("needs/", include("needs.urls")),
    path("offers/", include("offers.urls")),
    path("matching/", include("matching.urls")),
    path("barometer/", include("matching.barometer.urls")),
    path("moteplass/", include("matching.meetings.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc from the vendored sidecar files, in a page of ours without web fonts from a CDN.
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]

# No URL serves MEDIA_ROOT, not even with DEBUG on: it holds uploaded import files, which only
# the adviser or provider who uploaded them may read (through the import pages).

# Browsers ask for /favicon.ico on pages without a <link rel="icon"> (e.g. the API docs); a
# redirect to the vendored icon keeps their consoles free of 404 errors. The static URL is
# resolved per request: with the manifest storage it only exists after collectstatic.
from django.templatetags.static import static as _static  # noqa: E402
from django.views.generic import RedirectView  # noqa: E402


class _FaviconRedirect(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return _static("img/favicon.svg")


urlpatterns += [path("favicon.ico", _FaviconRedirect.as_view())]

# Under /api/ a URL no route matches (an id that is not a number, a typo) is a JSON 404 too.
handler404 = "portal.api_common.not_found"
