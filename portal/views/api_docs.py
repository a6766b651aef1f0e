"""The API's reference page (Redoc), from the vendored sidecar files and nothing else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

from portal.middleware import ContentSecurityPolicyMiddleware


class RedocView(SpectacularRedocView):
    """Redoc runs its search index in a worker it builds from a blob: URL of our own page, so
    this page alone also allows workers from 'self' and blob: (every other page keeps the
    stricter policy: the middleware leaves a policy the view has set)."""

    template_name = "api/redoc.html"
    POLICY = ContentSecurityPolicyMiddleware.ADMIN_AND_API_POLICY + "; worker-src 'self' blob:"

    @extend_schema(exclude=True)  # as on the parent's get: the docs page is not an operation
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = self.POLICY
        return response
