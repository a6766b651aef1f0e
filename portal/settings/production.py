"""Production settings: everything secret or host-specific must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import CELERY_BROKER_URL, DATABASES, REDIS_URL, env

DEBUG = False
# Passkeys only on https origins (the development settings allow http://localhost).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Several gunicorn workers and hosts must share login rate limits (the cache) and the task
# queue; the in-process fallbacks of the zero-setup default would silently split them.
if not REDIS_URL or not CELERY_BROKER_URL:
    raise ImproperlyConfigured("Production needs REDIS_URL (shared cache, rate limits) and a "
                               "Celery broker (CELERY_BROKER_URL, default REDIS_URL).")
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Links in e-mails: the public address, by default https:// and the first allowed host.
SITE_URL = env("SITE_URL", default="") or (f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("Production needs SITE_URL (e.g. https://kompetanse.example.no) "
                               "for the links in e-mails.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Keep database connections between requests (and check them before reuse, so a restarted
# PostgreSQL costs one failed check, not an error page).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions are read from the shared cache (Redis) and written through to the database, so a
# logged-in page does not pay a database query for its session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Webhooks never go to private, loopback or link-local addresses in production (SSRF).
WEBHOOK_ALLOW_PRIVATE_TARGETS = False
