"""Settings for iomsite, read from the environment.

Local use needs nothing set: SQLite under ``var/`` and DEBUG on. Production sets
``DJANGO_DEBUG=0``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and usually
``DATABASE_URL``. See README.md for the full list.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("IOMSITE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        sys.exit("iomsite: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off; refusing to start.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

# Rotation: the new key in DJANGO_SECRET_KEY, the old ones here until their sessions expire.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "iomsite.views.csrf_failure"

# Only the demo database (make run / make dev) gets demo users; production never sets this.
IOMSITE_DEMO = env_bool("IOMSITE_DEMO")
# The benchmark harness (bench/run) adds a bare ceiling view; never set in production.
IOMSITE_BENCH = env_bool("IOMSITE_BENCH")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "iomsite.adminsite.IomsiteAdminConfig",  # django.contrib.admin with our site (iomsite/adminsite.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "mptt",
    "reversion",
    "django_prose_editor",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",  # the open data API's docs page (static files, template)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "iomsite",
    "iomsite.search",
    "iomsite.newsletter",
    "iomsite.workflow",
    "iomsite.reviews",
    "iomsite.accounts",
    "themes",
    "consultations",
    "regions",
    "publications",
    "publications.news",  # news articles: an app inside the publications package (decision 020)
]

MIDDLEWARE = [
    "iomsite.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",  # outside the page cache: cached pages carry no policy of their own
    "iomsite.security.HostGuardMiddleware",  # before anything that asks for the host (HTTPS redirect, static)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "iomsite.pagecache.PageCacheMiddleware",
    # Inside the page cache: a hit costs one round trip (decision 019), and no cached page outlives a
    # scheduled draft's moment (freshness counts it), so the first render after the moment applies it.
    "iomsite.workflow.schedule.DraftScheduleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "iomsite.accounts.twofactor.TwoFactorMiddleware",  # a session without its second factor is held here
    "iomsite.redirects.RedirectMiddleware",  # a 404 on an old address: the redirect to where it is now
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "iomsite.outage.DatabaseOutageMiddleware",
    "publications.counts.DownloadCountMiddleware",  # counts in the cache only (decision 022)
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login: 5 failures for one user from one IP lock that pair out for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("IOMSITE_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "iomsite.security.client_ip"
# Number of trusted reverse proxies in front of gunicorn (nginx: 1): their X-Forwarded-For hop is used.
IOMSITE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", 0))

ROOT_URLCONF = "iomsite.urls"
WSGI_APPLICATION = "iomsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iomsite.context_processors.site",
            ],
        },
    },
]
if not DEBUG:
    # Cached loader in production; APP_DIRS must be off when loaders are given.
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

# Database: SQLite under var/ by default, DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast: never let a request hang on a dead or slow database.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3")),
            "options": "-c statement_timeout={}".format(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT_MS", "15000")),
        }
    )
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English is the source and the fallback for content.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["iomsite.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Zurich"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

# Static files: WhiteNoise, compressed and fingerprinted when not debugging.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "iomsite.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Uploads: our own limits, checked on the decoded content.
IOMSITE_IMAGE_MAX_BYTES = int(os.environ.get("IOMSITE_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
IOMSITE_IMAGE_MAX_PIXELS = int(os.environ.get("IOMSITE_IMAGE_MAX_PIXELS", 40_000_000))
IOMSITE_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
IOMSITE_RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)
IOMSITE_DOCUMENT_MAX_BYTES = int(os.environ.get("IOMSITE_DOCUMENT_MAX_BYTES", 100 * 1024 * 1024))
IOMSITE_DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "doc", "xls", "csv", "txt")
# How long a signed preview link to a document not yet public stays valid (press embargoes).
IOMSITE_DOCUMENT_PREVIEW_DAYS = int(os.environ.get("IOMSITE_DOCUMENT_PREVIEW_DAYS", 7))

# Cache: one shared cache for every process. A file cache under var/ is shared by the
# gunicorn workers of one host; REDIS_URL selects Redis for several hosts.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "iomsite",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Whole-page cache for anonymous visitors (iomsite/pagecache.py).
IOMSITE_PAGE_CACHE = env_bool("IOMSITE_PAGE_CACHE", default=True)
IOMSITE_PAGE_CACHE_SECONDS = int(os.environ.get("IOMSITE_PAGE_CACHE_SECONDS", 600))
# One render of a page at a time: others get its last copy meanwhile, for at most this long.
IOMSITE_PAGE_CACHE_RENDER_SECONDS = int(os.environ.get("IOMSITE_PAGE_CACHE_RENDER_SECONDS", 10))
IOMSITE_PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("IOMSITE_PAGE_CACHE_LOCAL_ENTRIES", 500))  # per process
# A cache in front told of changed tags (decision 018): "" none, "iomsite.pagecache.VarnishPurge".
IOMSITE_PURGE_BACKEND = os.environ.get("IOMSITE_PURGE_BACKEND", "")
IOMSITE_VARNISH_URLS = env_list("IOMSITE_VARNISH_URLS", "")
# Search counts and pages stop at this many matches ("more than 1,000 results"): bounded work per search.
IOMSITE_SEARCH_MAX_RESULTS = int(os.environ.get("IOMSITE_SEARCH_MAX_RESULTS", 1000))
IOMSITE_BROWSER_CACHE_SECONDS = int(os.environ.get("IOMSITE_BROWSER_CACHE_SECONDS", 60))

SESSION_ENGINE = "iomsite.accounts.sessions"  # database sessions that know their user (iomsite/accounts)
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS: on in production behind a TLS-terminating proxy (DJANGO_HTTPS=1).
if env_bool("DJANGO_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts from this site, plus a per-response nonce
# where a page prints one (the admin's rich-text editor); never 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # report-uri, not report-to: every browser sends it at once (the Reporting API
        # batches reports for up to a minute and Firefox ignores it for CSP).
        "report-uri": ["/csp-report"],
        "upgrade-insecure-requests": env_bool("DJANGO_HTTPS"),
    }
}

# Two-step sign-in (iomsite/accounts, decision 012): open to every editor, required for these
# roles and for superusers; accounts in "password-only accounts" (the demo logins) are exempt.
IOMSITE_TWO_FACTOR_ROLES = env_list("IOMSITE_TWO_FACTOR_ROLES", "Site manager,Publisher")
LOGIN_REDIRECT_URL = "admin:index"
OTP_TOTP_ISSUER = os.environ.get("IOMSITE_TOTP_ISSUER", "IOM website")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Passkeys belong to one domain: the site's (the first named host of ALLOWED_HOSTS unless set).
OTP_WEBAUTHN_RP_ID = os.environ.get("IOMSITE_WEBAUTHN_RP_ID") or next(
    (host.lstrip(".") for host in ALLOWED_HOSTS if host != "*" and not host[:1].isdigit() and "[" not in host),
    "localhost",
)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "IOMSITE_WEBAUTHN_ORIGINS",
    f"https://{OTP_WEBAUTHN_RP_ID}" if env_bool("DJANGO_HTTPS") else "http://localhost:8000",
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second step, after the password

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# E-mail: console by default; SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Background work (mail, reminders, text extraction, sending): django-tasks with its database
# backend, run by ``manage.py db_worker`` (started beside gunicorn by ``make run``). Decision 014.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IOMSITE_MAIL_RETRY_SECONDS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600]  # then the mail is logged as failed
# Consultation events (decision 023): a concluded event counts as archived this long after its last day, and
# registrants' personal data is erased this long after it (``manage.py purge_registrations`` from cron).
IOMSITE_EVENT_ARCHIVE_AFTER_DAYS = int(os.environ.get("IOMSITE_EVENT_ARCHIVE_AFTER_DAYS", 365))
IOMSITE_REGISTRATION_RETENTION_DAYS = int(os.environ.get("IOMSITE_REGISTRATION_RETENTION_DAYS", 90))
# The site's address for links in mail sent without a request (reminders, digests, newsletter issues).
IOMSITE_SITE_URL = os.environ.get("IOMSITE_SITE_URL", "http://localhost:8000").rstrip("/")
IOMSITE_NEWSLETTER_BATCH_SIZE = int(os.environ.get("IOMSITE_NEWSLETTER_BATCH_SIZE", 200))  # mails per task

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "IOM website <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# The rich-text editor's own extension: links to the site's content by reference (iomsite/richtext.py,
# docs/decisions/025-explorer-and-site-links.md). Its module is a static file, named when a form renders.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("iomsite/sitelink.js")],
        "extensions": {"SiteLink": "iomsite.richtext.site_link_allowlist"},
    }
]
