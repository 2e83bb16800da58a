"""Plantrack settings, read from environment variables (see docs/settings.md).

The defaults are safe for a developer's machine only while ``PLANTRACK_ENV`` is ``dev`` (what ``make run`` and
``make test`` set). With ``PLANTRACK_ENV=production`` the settings fail closed: no default secret key, debug off,
secure cookies and HSTS on.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case, surrounding spaces ignored); unset or empty means
    ``default``. Anything else stops the process: a typo must not silently turn a protection off."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of {', '.join(choices)}; got {value!r}."
        )
    return value


PLANTRACK_ENVIRONMENTS = ("dev", "test", "production")


def env_environment(name: str) -> str:
    """Which kind of installation this is. Unset means production (fail closed); any other value must be one of
    PLANTRACK_ENVIRONMENTS exactly, with no trimming or case folding: "prod", "Production" or "production " used
    to run silently with the development defaults (DEBUG on, a known secret key, demo passwords)."""
    value = os.environ.get(name)
    if value is None:
        return "production"
    if value not in PLANTRACK_ENVIRONMENTS:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be exactly one of {', '.join(PLANTRACK_ENVIRONMENTS)}; "
            f"got {value!r}."
        )
    return value


PLANTRACK_ENV = env_environment("PLANTRACK_ENV")
IS_PRODUCTION = PLANTRACK_ENV == "production"

# Production has no fallback: a missing SECRET_KEY stops the process instead of running with a known key.
SECRET_KEY = env_str("SECRET_KEY", None if IS_PRODUCTION else "dev-only-insecure-key-not-for-production")
DEBUG = env_bool("DEBUG", False) if IS_PRODUCTION else env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env_str("PLANTRACK_DATA_DIR", str(BASE_DIR / "data")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for DTL-only widget templates that include them (core.form_renderer)
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_q",
    "plantrack.core",
    "plantrack.accounts",
    "plantrack.orgs",
    "plantrack.plans",
    "plantrack.documents",
    "plantrack.reporting",
    "plantrack.indicators",
    "plantrack.notifications",
    "plantrack.inspection",
    "plantrack.monitoring",
    "plantrack.consolidation",
    "plantrack.security",
    "plantrack.home",
]

MIDDLEWARE = [
    # First: every log line of the request, and the tasks it queues, carry its id (docs/deploy.md, "Logs").
    "plantrack.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "plantrack.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "plantrack.security.middleware.SessionLifetimeMiddleware",
    "plantrack.accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "plantrack.security.middleware.SecurityHeadersAndLogMiddleware",
    "plantrack.security.middleware.AdminAccessMiddleware",
    # Last, as django-axes asks: turns a refused login of a locked-out user into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plantrack.urls"
WSGI_APPLICATION = "plantrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "plantrack" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "plantrack.notifications.context_processors.unread_notifications",
                "plantrack.accounts.context_processors.user_can",
                "csp.context_processors.nonce",
            ],
        },
    },
]
# Forms and their widgets are rendered with Django's own Jinja2 form templates (a fraction of the template
# language's cost per widget; a report form has hundreds); DTL-only widget templates (admin…) still work.
FORM_RENDERER = "plantrack.core.form_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------------------------
# DATABASE_URL chooses the database; by default an SQLite file in the data folder.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'plantrack.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent use on one office server: WAL lets readers run beside a writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        # busy_timeout repeats the timeout in milliseconds so that the setting, not a constant, governs the wait.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Passwords: no upper length limit (a 100-character passphrase is fine); common and all-digit passwords refused.
# Minimum length and character classes are settings for deployments whose regulation asks for them (docs/security.md).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "plantrack.accounts.validators.PersonalInformationValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "plantrack.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CHARACTER_CLASSES", 0)},
    },
]

# --- Language, time, formats ----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "plantrack" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["plantrack.formats"]

# --- Static and uploaded files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "plantrack" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside the static root and is never served directly: only through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media-not-served/"

# --- Mail ------------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "plantrack@localhost")
# SMTP server (used when EMAIL_BACKEND is the SMTP backend): the department's mail relay.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Address of the site as people reach it (https://plantrack.example.gov.vn): links in e-mails are made absolute
# with it. Empty: e-mails carry the path only (/bao-cao/...), which a mail client cannot open.
PLANTRACK_SITE_URL = env_str("PLANTRACK_SITE_URL", "").strip().rstrip("/")
if PLANTRACK_SITE_URL and not PLANTRACK_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("PLANTRACK_SITE_URL must start with https:// (or http://).")

# A task with a deadline is "due soon" (sắp đến hạn) this many days before it: pages flag it, reminders start.
PLANTRACK_TASK_DUE_SOON_DAYS = env_int("PLANTRACK_TASK_DUE_SOON_DAYS", 30)
if not 0 <= PLANTRACK_TASK_DUE_SOON_DAYS <= 366:
    raise ImproperlyConfigured("PLANTRACK_TASK_DUE_SOON_DAYS must be between 0 and 366.")

# --- Plan import and the consolidated report ------------------------------------------------------------------
# Largest plan document (DOCX/PDF/TXT) the import accepts, in bytes; checked before the file is read.
PLANTRACK_IMPORT_MAX_BYTES = env_int("PLANTRACK_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# "queue": a plan document that needs OCR (a scan) is read by the worker and the import page shows its state;
# "inline": read inside the upload request, after the commit (tests).
PLAN_IMPORT_OCR_MODE = env_choice("PLAN_IMPORT_OCR_MODE", "queue", ("queue", "inline"))
# "queue": the consolidated report is built by the worker (the task queue below) and the page polls it;
# "inline": built inside the request that asks for it, after the commit (tests).
CONSOLIDATION_BUILD_MODE = env_choice("CONSOLIDATION_BUILD_MODE", "queue", ("queue", "inline"))
# Charts of the consolidated report are cached here, keyed by their data; empty turns the cache off.
CONSOLIDATED_CHART_CACHE_DIR = env_str("CONSOLIDATED_CHART_CACHE_DIR", str(DATA_DIR / "cache" / "charts"))
# When figures change, the charts they appear in are drawn into that cache: "thread" (after the commit, in a
# background thread), "inline" (in the request, after the commit) or "off" (drawn by the next build instead).
CONSOLIDATED_CHART_PREPARE = env_choice("CONSOLIDATED_CHART_PREPARE", "thread", ("thread", "inline", "off"))

# --- API -------------------------------------------------------------------------------------------------------
# One sign-in for pages and API: a token is issued only after the full login (password, then the TOTP code when the
# user has one; refused while a password change is due), expires after API_TOKEN_TTL_HOURS and is revoked with the
# user's sessions (password change, deactivation, "end sessions"): plantrack/accounts/tokens.py, docs/security.md.
# Token authentication comes first so that an unauthenticated call answers 401 with WWW-Authenticate: Token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "plantrack.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 100,
    # Request rates (DRF throttling, counted in the default cache: per process with the local-memory cache; a
    # deployment with several web processes or servers needs a shared cache such as Redis for exact limits).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "1200/minute"),
        "api_token": env_str("API_THROTTLE_TOKEN", "10/minute"),
    },
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 8)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Plantrack API",
    "DESCRIPTION": "Theo dõi thực hiện kế hoạch — plans, reporting cycles and agency reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "state" field with different choices: name each enum after its model's choices.
    "ENUM_NAME_OVERRIDES": {
        "CycleStateEnum": "plantrack.reporting.models.CycleState",
        "ReportStateEnum": "plantrack.reporting.models.ReportState",
    },
}

# --- Security --------------------------------------------------------------------------------------------------
# What each setting answers for is in docs/security.md; every variable is listed in docs/settings.md.
# Login protection (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one address, that pair
# is locked for AXES_COOLOFF_MINUTES; the correct password does not get in meanwhile. An administrator can lift it.
AUTHENTICATION_BACKENDS = [
    "plantrack.security.backends.LockoutBackend",
    # Django's ModelBackend, whose get_user also reads the user's agency, whether they hold an extra role today and
    # their unread notifications in the user's own query (accounts.backends). It replaced ModelBackend itself:
    # sessions opened before under that name end once (their owners sign in again).
    "plantrack.accounts.backends.AccountBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One address trying many user names: after AXES_IP_FAILURE_LIMIT failures from one address (any user names) within
# the cool-off time, that address is locked too (plantrack.security.lockout.LockoutHandler).
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_HANDLER = "plantrack.security.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "plantrack.security.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "plantrack.security.net.client_ip"
AXES_VERBOSE = False
# Who to ask about a locked or forgotten account (a name, phone, e-mail), shown on the login error and lockout page.
PLANTRACK_HELPDESK = env_str("PLANTRACK_HELPDESK", "")
# Number of reverse proxies (nginx = 1) whose X-Forwarded-For is trusted for the client address (log, lockout).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Management pages (admin, security log) only from these networks (CIDR list) and within these local hours
# ("07:00-19:00"); empty means no restriction.
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS")
ADMIN_ACCESS_HOURS = env_str("ADMIN_ACCESS_HOURS", "")

# Sessions: a new session key at login (Django), idle timeout and absolute lifetime enforced on the server
# (plantrack.security.middleware.SessionLifetimeMiddleware); values in seconds.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Passwords: accounts an administrator creates must change their password at first login (PASSWORD_FORCE_CHANGE);
# PASSWORD_MAX_AGE_DAYS > 0 forces a change after that many days (off by default: see docs/security.md).
PASSWORD_FORCE_CHANGE = env_bool("PASSWORD_FORCE_CHANGE", True)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)
# Second factor (TOTP, django-otp): optional for every coordinator and administrator; required when this is on.
OTP_REQUIRED_FOR_PRIVILEGED = env_bool("OTP_REQUIRED_FOR_PRIVILEGED", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Plantrack")

# Headers. All assets are served from this site, so the Content Security Policy names no other source.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF, CSP_NONCE],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Behind nginx terminating TLS, set SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto (docs/deploy.md).
# Only do this when the proxy overwrites that header on every request; otherwise a client could claim https.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if IS_PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when PLANTRACK_ENV=production.")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be a random value of at least 50 characters in production."
        )
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP from inside the network
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if SESSION_COOKIE_SECURE:
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
        SESSION_COOKIE_NAME = "__Host-plantrack_session"
    if CSRF_COOKIE_SECURE:
        CSRF_COOKIE_NAME = "__Host-csrftoken"

# Upload limits. DATA_UPLOAD_MAX_MEMORY_SIZE counts the non-file fields only (Django does not count file parts):
# the per-kind limits below are checked by each upload form, and nginx's client_max_body_size caps the body.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 25 * 1024 * 1024)
PLANTRACK_EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
PLANTRACK_XLSX_UPLOAD_MAX_BYTES = env_int("XLSX_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)

# Demo accounts of `make run` (password printed on the console). Never set in production.
PLANTRACK_DEMO_PASSWORD = env_str("PLANTRACK_DEMO_PASSWORD", "" if IS_PRODUCTION else "Demo@2025")

# --- Background tasks, cache, logs (docs/deploy.md, "More than one machine") -------------------------------------
# Background work (report builds, the daily reminder run) is queued in the database (django-q2's ORM broker: no
# broker to install, and one queue for every app node) and run by `manage.py qcluster`, which `make run` starts.
# A task is leased for TASK_RETRY_SECONDS: if its worker dies (killed, machine restarted), another worker takes it
# again after that; TASK_TIMEOUT_SECONDS stops a task that runs too long. The tasks are idempotent.
TASK_TIMEOUT_SECONDS = env_int("TASK_TIMEOUT_SECONDS", 120)
TASK_RETRY_SECONDS = env_int("TASK_RETRY_SECONDS", 180)
if TASK_RETRY_SECONDS <= TASK_TIMEOUT_SECONDS:
    raise ImproperlyConfigured(
        "TASK_RETRY_SECONDS must be larger than TASK_TIMEOUT_SECONDS, or a running task is handed out twice."
    )
Q_CLUSTER = {
    "name": "plantrack",
    "orm": "default",
    "workers": env_int("TASK_WORKERS", 2),
    "timeout": TASK_TIMEOUT_SECONDS,
    "retry": TASK_RETRY_SECONDS,
    "max_attempts": env_int("TASK_MAX_ATTEMPTS", 3),
    "poll": 0.5,
    "recycle": 200,
    "save_limit": 1000,
    "catch_up": False,  # a daily schedule missed while the workers were down runs once, not once per missed day
    "label": _("Tác vụ nền"),
}
# A task waiting longer than this without a worker taking it makes /healthz answer 503 ("queue": "fail").
HEALTHZ_QUEUE_MAX_WAIT_SECONDS = env_int("HEALTHZ_QUEUE_MAX_WAIT_SECONDS", 300)

# Cache: Redis when REDIS_URL (or CACHE_URL) is set, which every app node then shares; otherwise each process keeps
# its own in memory, which is right for one machine. Sessions are in the database either way (below).
REDIS_URL = env_str("REDIS_URL", "") or env_str("CACHE_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "plantrack"),
            "TIMEOUT": 300,
            # A Redis that does not answer fails the request (and /healthz) in seconds instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "plantrack"}
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Logs go to the console (journald under systemd). LOG_FORMAT=json writes one JSON object per line with the
# request id of the request, or of the request that queued the task, in every line.
LOG_FORMAT = env_choice("LOG_FORMAT", "json" if IS_PRODUCTION else "plain", ("json", "plain"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "plantrack.core.request_id.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
