"""PiteBra settings, read from the environment (see README: Configuration)."""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
import django_cache_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def cache_settings(url: str, *, key_prefix: str = "pitebra") -> dict:
    """`PITEBRA_CACHE_URL` as Django's CACHES entry, read by django-cache-url: `locmem://`,
    `db://table` (after `manage.py createcachetable`), `file:///var/cache/pitebra`, `dummy://`,
    or `redis://host:6379/0` for several app servers.

    Redis goes to Django's own RedisCache, which takes the URL whole (host, password,
    database), in PiteBra's variant that answers as a miss while the server is down.
    `key_prefix` keeps installations that share one Redis apart.
    """
    if url.startswith(("redis://", "rediss://")):
        config = {"BACKEND": "pitebra.cache_backends.OptionalRedisCache", "LOCATION": url}
    else:
        try:
            config = django_cache_url.parse(url)
        except Exception as error:  # the package says only `Exception`
            raise ImproperlyConfigured(f"PITEBRA_CACHE_URL: {error}") from error
    return {**config, "KEY_PREFIX": key_prefix}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For local development set DJANGO_DEBUG=1 (make run does)."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

INSTALLED_APPS = [
    "pitebra.apps.PiteBraAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_include_bootstrap",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "pitebra.apps.PiteBraConfig",
    "plans.apps.PlansConfig",
    "followup.apps.FollowupConfig",
    "security.apps.SecurityConfig",
    "public.apps.PublicConfig",
    # Demo and benchmark data (`seed_demo`, `seed_bench`); no models, nothing imports it.
    "demo.apps.DemoConfig",
]

MIDDLEWARE = [
    # Outermost: public pages leave without a cookie and without Vary: Cookie.
    "public.caching.public_responses",
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.permissions_policy",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pitebra.middleware.SwedishFirstLocaleMiddleware",
    "pitebra.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # On PostgreSQL: the request's transaction, scoped to the user's agreements (rowsecurity).
    "pitebra.rowsecurity.RowScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.AuditRequestMiddleware",
    "security.middleware.SessionLimitsMiddleware",
    "security.middleware.provider_logout_csp",
    "security.middleware.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our Swedish refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pitebra.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pitebra.context_processors.site",
                "pitebra.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "pitebra.wsgi.application"

# No DATABASE_URL: the embedded SQLite file beside manage.py. Production sets a postgres:// URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nothing another app server would need stays in one process: sessions live in the database
# (Django's default), the cache is shared when PITEBRA_CACHE_URL says so, background work (the
# report's PDFs) is queued in the database, and uploads go through STORAGES below.
SESSION_ENGINE = os.environ.get("DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.db")
CACHES = {
    "default": cache_settings(
        os.environ.get("PITEBRA_CACHE_URL") or "locmem://",
        key_prefix=os.environ.get("PITEBRA_CACHE_KEY_PREFIX", "pitebra"),
    )
}
# `manage.py db_worker` runs the queued tasks (make run starts one; deploy/ has its unit).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker renders each PDF in a child process of at most this much address space (RLIMIT_AS;
# a 5,000-activity report peaks under 1 GB resident), one at a time per machine under this lock
# file (followup/report/isolation.py). The lock must be on a local disk that every worker of the
# machine sees (deploy/pitebra-worker.service sets a runtime directory).
PITEBRA_PDF_MEMORY_MB = int(os.environ.get("PITEBRA_PDF_MEMORY_MB", "2048"))
PITEBRA_PDF_LOCK = os.environ.get(
    "PITEBRA_PDF_LOCK", os.path.join(tempfile.gettempdir(), "pitebra-pdf.lock")
)

# The second lock on PostgreSQL (pitebra/rowsecurity.py): each request names its agreements
# and PostgreSQL shows no other rows. The app's database role must not be a superuser.
PITEBRA_ROW_SECURITY = os.environ.get("PITEBRA_ROW_SECURITY", "1") == "1"

AUTH_USER_MODEL = "pitebra.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Swedish first; English for those who choose it in the header.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded documents: a directory (shared between app servers, e.g. NFS) by default, or an
    # S3-compatible bucket through django-storages when PITEBRA_S3_BUCKET is set (README).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed copies, no manifest of hashed names: files keep their own names, so the
        # .map files Bootstrap's CSS names are found and served as they are.
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
if os.environ.get("PITEBRA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["PITEBRA_S3_BUCKET"],
            "endpoint_url": os.environ.get("PITEBRA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PITEBRA_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "pitebra@localhost")

# Shown on the accessibility statement: where users report barriers.
ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get(
    "PITEBRA_ACCESSIBILITY_EMAIL", "tillganglighet@pitebra.example"
)
# The address PiteBra is reached at, for links in e-mail sent outside a request (reminders).
SITE_URL = os.environ.get("PITEBRA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Days before an agreement's revise-by date when the dashboard starts warning.
REVISION_WARNING_DAYS = 90

# Production hardening; SSL redirect can be turned off behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter to operators.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Step 1 facts: Kolada's open API (v3) and the upload limit for supporting documents.
KOLADA_BASE_URL = os.environ.get("PITEBRA_KOLADA_BASE_URL", "https://api.kolada.se/v3")
KOLADA_TIMEOUT = float(os.environ.get("PITEBRA_KOLADA_TIMEOUT", "20"))
PITEBRA_MAX_UPLOAD_MB = int(os.environ.get("PITEBRA_MAX_UPLOAD_MB", "20"))
# The council's self-evaluation is anonymous: a question's scores and comments are shown only
# once this many members have answered it (before that, only the number of answers).
PITEBRA_SELF_EVALUATION_MIN_ANSWERS = int(
    os.environ.get("PITEBRA_SELF_EVALUATION_MIN_ANSWERS", "3")
)

# Input limits (pitebra/limits.py; README: Limits). Past them an upload is refused, in Swedish.
PITEBRA_IMPORT_MAX_ROWS = int(os.environ.get("PITEBRA_IMPORT_MAX_ROWS", "60000"))
PITEBRA_XLSX_MAX_COLUMNS = int(os.environ.get("PITEBRA_XLSX_MAX_COLUMNS", "60"))
PITEBRA_XLSX_MAX_UNCOMPRESSED_MB = int(os.environ.get("PITEBRA_XLSX_MAX_UNCOMPRESSED_MB", "50"))
PITEBRA_JSON_MAX_KB = int(os.environ.get("PITEBRA_JSON_MAX_KB", "2048"))
PITEBRA_JSON_MAX_DEPTH = int(os.environ.get("PITEBRA_JSON_MAX_DEPTH", "20"))
PITEBRA_MAX_ERRORS_SHOWN = int(os.environ.get("PITEBRA_MAX_ERRORS_SHOWN", "50"))
# An agreement archive (import_agreement): each member and all of them unpacked, in MB.
PITEBRA_ARCHIVE_MAX_MB = int(os.environ.get("PITEBRA_ARCHIVE_MAX_MB", "200"))

# Sign-in security (issue 10; README: Sign-in and the second factor).
# Lockout: django-axes counts failures per account (from any address) and per address.
# Lockouts are seen and lifted on the security pages (scoped to the coordinator's people), never
# in django-axes' own admin, which would list every account and address in the installation.
AXES_ENABLE_ADMIN = False
AXES_ENABLED = env_bool("PITEBRA_LOCKOUT_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("PITEBRA_LOCKOUT_ACCOUNT_ATTEMPTS", "5"))
PITEBRA_LOCKOUT_ADDRESS_ATTEMPTS = int(os.environ.get("PITEBRA_LOCKOUT_ADDRESS_ATTEMPTS", "20"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("PITEBRA_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "security.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "security.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False
# Behind a reverse proxy every request comes from the proxy: count the client's address instead.
PITEBRA_PROXY_COUNT = int(os.environ.get("PITEBRA_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "security.audit.client_ip"
AXES_VERBOSE = False

# Two-factor login: on by default in production; `make run` and the test settings turn it off.
PITEBRA_REQUIRE_2FA = env_bool("PITEBRA_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "PiteBra"
# Passkeys (django-otp-webauthn) as a second factor of local accounts: the site's domain and
# the exact origins (https://pitebra.example.se) the browser may show them on.
OTP_WEBAUTHN_RP_ID = os.environ.get("PITEBRA_PASSKEY_DOMAIN", "localhost")
OTP_WEBAUTHN_RP_NAME = "PiteBra"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("PITEBRA_PASSKEY_ORIGINS", "http://localhost:8000")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# SAML: PiteBra's own key and certificate (PEM files). With both, our AuthnRequests and
# LogoutRequests are signed and our metadata carries the certificate (Sweden Connect asks it).
PITEBRA_SAML_KEY_FILE = os.environ.get("PITEBRA_SAML_KEY_FILE", "")
PITEBRA_SAML_CERT_FILE = os.environ.get("PITEBRA_SAML_CERT_FILE", "")

# Sessions end after 8 hours, and after 60 minutes without a request.
PITEBRA_SESSION_MAX_HOURS = float(os.environ.get("PITEBRA_SESSION_MAX_HOURS", "8"))
PITEBRA_SESSION_IDLE_MINUTES = float(os.environ.get("PITEBRA_SESSION_IDLE_MINUTES", "60"))
SESSION_COOKIE_AGE = int(PITEBRA_SESSION_MAX_HOURS * 3600)

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Charts and the QR code are SVG data URIs or inline SVG.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), "
    "camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), gamepad=(), "
    "geolocation=(), gyroscope=(), hid=(), idle-detection=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
    # Passkeys (django-otp-webauthn) need the Web Authentication API on PiteBra's own pages.
    "publickey-credentials-create=(self), publickey-credentials-get=(self), "
    "screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=()"
)

# Audit trail: rows older than this are removed by `prune_audit`.
PITEBRA_AUDIT_RETENTION_DAYS = int(os.environ.get("PITEBRA_AUDIT_RETENTION_DAYS", "730"))
