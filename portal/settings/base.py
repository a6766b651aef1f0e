"""Settings shared by every environment, read from environment variables.

Zero-setup defaults: SQLite, console e-mail, and Celery tasks run in-process when no broker
is configured, so the first command works on a bare machine.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # ID-porten sign-in, switched on by its settings below (no client id: no provider).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "portal",
    "needs",
    "offers",
    "matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.VersionsReadOnceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.LoginLanguageMiddleware",
    "portal.middleware.SecondFactorRequiredMiddleware",
    "portal.middleware.PrivateCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is tested before a request uses it, so a restarted database costs no
# failed request (tests/faults).
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
# Django's and allauth's backends, reading the signed-in user from the shared cache
# (`portal.auth_backends`).
AUTHENTICATION_BACKENDS = [
    "portal.auth_backends.CachedModelBackend",
    "portal.auth_backends.CachedAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
# Ours, rebuilt from the source by `make messages`; then what we translate of third-party
# templates (allauth ships no nynorsk), which makemessages would mark obsolete in the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "portal" / "locale_thirdparty"]
LANGUAGE_COOKIE_NAME = "kp_language"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# Off: with it on, every number printed into a template (ids in form values included) would get
# a non-breaking space every three digits. Amounts ask for grouping explicitly
# (`floatformat:"0g"`), which follows the active language's separator.
USE_THOUSAND_SEPARATOR = False
# Our own date formats for English ("11 January 2027"); nb and nn use Django's own.
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads (import spreadsheets) are private: no URL serves MEDIA_ROOT, in DEBUG neither. Set
# so Django never falls back to "/" and nothing is mistaken for a public media address.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Cache (allauth's rate limits need a shared one in production) ------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.cache.RedisCache",  # one client per pool
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- E-mail ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Kompetanseportalen <noreply@kompetanseportalen.no>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth) -----------------------------------------------------------
SITE_NAME = "Kompetanseportalen"
# Scheme and host of the portal as users reach it: every link in an e-mail starts with it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Where the accessibility statement tells people to write.
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL",
                                  default="tilgjengelighet@kompetanseportalen.no")
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kompetanseportalen] "
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"

# --- Two-factor sign-in (allauth.mfa). Advisers and staff must set up TOTP or a passkey before
# any adviser page, export, API answer or the admin opens (portal.middleware and
# portal.access.is_adviser); businesses and providers may turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Kompetanseportalen"
MFA_ADAPTER = "portal.adapters.MFAAdapter"
# Browsers allow passkeys on http://localhost only with this; production is always https.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# --- ID-porten sign-in (OpenID Connect through allauth), where the county configures it ------
# Digdir's ID-porten gives a verified identity (the national identity number in the `pid`
# claim, which a later step can use to look up who may act for a business) but no e-mail
# address: a person new to the portal gives one and confirms it, as after a sign-up; an existing
# user connects ID-porten from the account page. The integration is registered in Digdir's
# self-service with the redirect URI <SITE_URL>/accounts/oidc/idporten/login/callback/.
# Test environment: IDPORTEN_ISSUER=https://test.idporten.no
IDPORTEN_ISSUER = env("IDPORTEN_ISSUER", default="https://idporten.no")
IDPORTEN_CLIENT_ID = env("IDPORTEN_CLIENT_ID", default="")
IDPORTEN_CLIENT_SECRET = env("IDPORTEN_CLIENT_SECRET", default="")
IDPORTEN_ACR = env("IDPORTEN_ACR", default="idporten-loa-substantial")


def idporten_provider(*, issuer: str, client_id: str, secret: str, acr: str) -> dict:
    """allauth's openid_connect settings with ID-porten as its one app (none without a client
    id, so the sign-in button and its URLs are gone)."""
    apps = [{
        "provider_id": "idporten", "name": "ID-porten", "client_id": client_id,
        "secret": secret,
        # ID-porten requires PKCE; the client secret goes in the body (client_secret_post).
        "settings": {"server_url": issuer, "token_auth_method": "client_secret_post",
                     "oauth_pkce_enabled": True},
    }] if client_id and secret else []
    return {"openid_connect": {"APPS": apps, "SCOPE": ["openid", "profile"],
                               "AUTH_PARAMS": {"acr_values": acr}, "OAUTH_PKCE_ENABLED": True}}


SOCIALACCOUNT_PROVIDERS = idporten_provider(
    issuer=IDPORTEN_ISSUER, client_id=IDPORTEN_CLIENT_ID, secret=IDPORTEN_CLIENT_SECRET,
    acr=IDPORTEN_ACR)
# Signing in through ID-porten never logs into an existing account by a matching address
# (ID-porten has none); the tokens are not kept, only the identity's claims.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False

# --- REST API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.PortalAutoSchema",
    # No HTTP Basic: a password sent with every request would skip the login's rate limits,
    # lockout, verified-address rule and second factor. API clients use personal tokens; the
    # portal's own pages use the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal tokens (`Authorization: Bearer …`), from the account page.
        "portal.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Per signed-in user and per anonymous IP, counted in the default cache (Redis in
    # production, so every worker shares the counts); over the rate is a 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api_common.AnonymousRateThrottle",
        "portal.api_common.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANONYMOUS", default="120/min"),
        "user": env("API_RATE_USER", default="600/min"),
    },
    # How many reverse proxies add themselves to X-Forwarded-For; 0 trusts only the socket's
    # address, so a client cannot pick its own IP (and so dodge the anonymous rate).
    "NUM_PROXIES": env.int("API_TRUSTED_PROXIES", default=0),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON bodies only (a form-encoded one is a 415), at most API_MAX_BODY_BYTES (else 413).
    "DEFAULT_PARSER_CLASSES": ["portal.api_common.LimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    # DRF reserves `?format=` for choosing the renderer; our filters use `format` (an offer's
    # format, e.g. `?format=online`), so the renderer override gets another name.
    "URL_FORMAT_OVERRIDE": "response_format",
}
# The largest body any other API write accepts (one need or offer is a few kB); above: 413.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1_048_576)
# The largest body `PUT /api/v1/offers/bulk/` accepts (1 000 offers fit easily); above: 413.
API_BULK_MAX_BYTES = env.int("API_BULK_MAX_BYTES", default=5 * 1_048_576)
SPECTACULAR_SETTINGS = {
    "TITLE": "Kompetanseportalen API",
    "DESCRIPTION": "Competence needs, continuing-education offers and matches in Øvre Telemark.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from our own static files: the portal never uses a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get their own components, so read-only fields (ids, status) are not
    # offered as input.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"FormatEnum": "portal.choices.Format.choices",
                            "LevelEnum": "portal.choices.Level.choices"},
    # Webhooks are an OpenAPI 3.1 feature; one import path per event.
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": [f"portal.webhooks.schema.{event.replace('.', '_').upper()}" for event in (
        "need.submitted", "need.withdrawn", "match.proposed", "match.accepted",
        "match.declined", "offer.published", "offer.archived", "offer.unpublished",
        "cohort.shared", "cohort.answered")],
}

# --- Webhooks (Standard Webhooks) -------------------------------------------------------
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=15)
# Private, loopback and link-local targets are refused unless this is on (tests, development).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)

# --- Celery ------------------------------------------------------------------------------
# Without a broker every task runs in-process, eagerly: the same code path, no worker needed.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The barometer's figures are computed by a worker after each change and pages serve the last
# complete snapshot; without a worker they are computed when a page first asks for them.
BAROMETER_REFRESH_IN_BACKGROUND = env.bool("BAROMETER_REFRESH_IN_BACKGROUND",
                                           default=bool(CELERY_BROKER_URL))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down so a web request never hangs on publishing a task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                   "socket_connect_timeout": 2, "socket_timeout": 5}
# How long a task taken by a worker that died (acks_late) stays hidden before another worker
# gets it again; above the task time limit, so a slow task is never run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int("CELERY_VISIBILITY_TIMEOUT",
                                                                default=3600)
# Look for such tasks at every sweep (about every 10 s), not every tenth: one cheap Redis query.
CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1

# --- External registers ------------------------------------------------------------------
BRREG_BASE_URL = env("BRREG_BASE_URL", default="https://data.brreg.no/enhetsregisteret/api")
BRREG_TIMEOUT_SECONDS = env.float("BRREG_TIMEOUT_SECONDS", default=3.0)

# --- Uploads -----------------------------------------------------------------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

# --- Meeting place -----------------------------------------------------------------------
# Reply links in invitations stop working after this many days (and when the meeting starts).
MEETING_REPLY_LINK_DAYS = env.int("MEETING_REPLY_LINK_DAYS", default=60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"},
                # weasyprint (the barometer's PDF) logs every layout step at INFO
                "weasyprint": {"level": "WARNING"}},
}
