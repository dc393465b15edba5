"""Settings shared by every environment; everything variable comes from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from nas.config import env
from nas.config.languages import interface_languages

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env.string("NAS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DJANGO_DEBUG", default=False)
# Demo mode: demo data and demo accounts may exist and their credentials may be printed.
DEMO_MODE = env.boolean("NAS_DEMO", default=False)

DEMO_SECRET_KEY_FILE = VAR_DIR / "demo_secret_key"


def _demo_secret_key() -> str:
    """Return a per-machine random key for development, kept under var/ (never committed)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not DEMO_SECRET_KEY_FILE.exists():
        DEMO_SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        DEMO_SECRET_KEY_FILE.chmod(0o600)
    return DEMO_SECRET_KEY_FILE.read_text(encoding="utf-8").strip()


SECRET_KEY = env.optional("DJANGO_SECRET_KEY") or _demo_secret_key()
ALLOWED_HOSTS = env.csv_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "nas.common",
    "nas.accounts",
    "nas.audit",
    "nas.people",
    "nas.referrals",
    "nas.casework",
    "nas.assistance",
    "nas.interchange",
    "nas.reporting",
    "nas.documents",
    "nas.portal",
    "nas.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nas.common.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nas.common.middleware.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts before a password check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "nas.config.urls"
WSGI_APPLICATION = "nas.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Form widgets rendered by Jinja2 from Django's own widget templates (the admin's by Django's
# engine): the same HTML, and pages with long select lists (nationalities, languages) render
# faster: the intake form 66 -> 38 ms a request (docs/benchmarks.md).
FORM_RENDERER = "nas.common.form_renderer.FastFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'nas.sqlite3'}"),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _settings = [_options.get("options", "")]
    if not env.boolean("NAS_POSTGRES_JIT", default=False):
        # PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high,
        # as the lists over a large register's referrals and clients are: 45-50 ms of
        # compiling for a query that runs in 30-80 ms, on every page (measured at 1,000,000
        # referrals). Off for the application's connections; NAS_POSTGRES_JIT=true leaves
        # the server's setting.
        _settings.append("-c jit=off")
    # Parallel workers for a page's queries: none by default (nas.common.database explains).
    _workers = env.integer("NAS_POSTGRES_PARALLEL_WORKERS", 0, minimum=0)
    _settings.append(f"-c max_parallel_workers_per_gather={_workers}")
    _options["options"] = " ".join(part for part in _settings if part)
# ... and for the statistics (nas.common.database.parallel_queries): PostgreSQL's default.
NAS_POSTGRES_STATISTICS_PARALLEL_WORKERS = env.integer(
    "NAS_POSTGRES_STATISTICS_PARALLEL_WORKERS", 2, minimum=0
)

# Database connections the statistics use side by side (nas.common.database.concurrently).
NAS_STATISTICS_CONNECTIONS = env.integer("NAS_STATISTICS_CONNECTIONS", 2, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SESSION_COOKIE_AGE = env.integer("NAS_IDLE_TIMEOUT_SECONDS", 30 * 60)
# The session age is an idle timeout: nas.common.middleware.IdleTimeoutMiddleware saves a
# session in use again when its last renewal is NAS_SESSION_RENEW_SECONDS old (instead of
# SESSION_SAVE_EVERY_REQUEST, a write on every page).
SESSION_SAVE_EVERY_REQUEST = False
NAS_SESSION_RENEW_SECONDS = env.integer("NAS_SESSION_RENEW_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "fi"
# Finnish, Swedish, English, and any language a translator added a catalogue for.
LANGUAGES = interface_languages(BASE_DIR / "nas" / "locale")
LOCALE_PATHS = [BASE_DIR / "nas" / "locale"]
# English dates as written in Finland (day first), not the American default.
FORMAT_MODULE_PATH = ["nas.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

OTP_TOTP_ISSUER = "NAS"

# Lockout after repeated failed sign-ins (django-axes), per username and address.
AXES_FAILURE_LIMIT = env.integer("NAS_SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.integer("NAS_SIGN_IN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "nas.accounts.lockout.lockout_username"
AXES_VERBOSE = False  # no "AXES: BEGIN" banner on every start; lockouts are still logged

# Content Security Policy (django-csp 4): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Emergency access ("break the glass") to a client one cannot otherwise see.
NAS_BREAK_GLASS_MINUTES = env.integer("NAS_BREAK_GLASS_MINUTES", 60)
NAS_BREAK_GLASS_REASON_MIN_LENGTH = env.integer("NAS_BREAK_GLASS_REASON_MIN_LENGTH", 20)

# django-otp's admin would show any device's secret (QR code) to an administrator, who
# could then sign in as that user: never show it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Encryption at rest of direct identifiers: Fernet keys, newest first (MultiFernet rotates).
# In demo mode a per-machine key is generated under var/; production must set its own.
DEMO_ENCRYPTION_KEY_FILE = VAR_DIR / "demo_encryption_key"
NAS_ENCRYPTION_KEYS = env.csv_list("NAS_ENCRYPTION_KEYS", [])
# The key of the keyed hash that lets names be searched without storing them in clear.
NAS_SEARCH_KEY = env.optional("NAS_SEARCH_KEY")

# Retention: a person's identifiers are anonymised this many years after their last client
# relationship ended, or after a negative decision or withdrawal (manage.py retention_apply).
NAS_RETENTION_YEARS = env.integer("NAS_RETENTION_YEARS", 5)

# Statistics: cells below this many persons are folded or withheld in published output.
# At least 3: a count published as "<2" would be a 1 for everyone to read.
NAS_DISCLOSURE_THRESHOLD = env.integer("NAS_DISCLOSURE_THRESHOLD", 5, minimum=3)

# The cache holds the rate limits of the public self-referral form: with several worker
# processes it must be shared, so production points NAS_REDIS_URL at Redis. Without it each
# process counts on its own (fine for one process and for tests).
_REDIS_URL = env.optional("NAS_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Behind a reverse proxy every visitor would share the proxy's address: name the header
# that carries the client's address (e.g. HTTP_X_FORWARDED_FOR, as set by the proxy).
NAS_CLIENT_IP_HEADER = env.optional("NAS_CLIENT_IP_HEADER")
RATELIMIT_IP_META_KEY = "nas.common.client_ip.client_ip"

# Documents of a client (stored encrypted in the database): the largest file accepted.
NAS_DOCUMENT_MAX_BYTES = env.integer("NAS_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Uploads are kept in memory (bounded by that limit), never in a temporary file in clear.
FILE_UPLOAD_HANDLERS = ["nas.documents.uploads.BoundedMemoryUploadHandler"]

# E-mail (notifications of new referrals, which hold no personal data). Development and the
# demo print messages on the console; production sets an SMTP server.
EMAIL_BACKEND = env.string(
    "NAS_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.string("NAS_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("NAS_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("NAS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("NAS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("NAS_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.string("NAS_EMAIL_FROM", "NAS <no-reply@localhost>")
# The address of the application as the notifications link to it.
NAS_SITE_URL = env.string("NAS_SITE_URL", "http://127.0.0.1:8000")
# The office that receives a referral when its sender does not choose one (self-referrals).
NAS_INTAKE_OFFICE = env.string("NAS_INTAKE_OFFICE", "helsinki")

# The REST API (nas/api, docs/api.md): referring organisations authenticate with a bearer
# token, never with a session; every error is JSON; requests are rate-limited per token (or,
# without one, per address) in Django's cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["nas.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["nas.api.permissions.IsReferringOrganisation"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "nas.api.negotiation.JsonAlways",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["nas.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_token": env.string("NAS_API_RATE", "600/minute"),
        "api_anonymous": env.string("NAS_API_RATE_ANONYMOUS", "120/minute"),
        "api_submission": env.string("NAS_API_RATE_SUBMISSIONS", "60/minute"),
        "api_statistics": env.string("NAS_API_RATE_STATISTICS", "30/minute"),
    },
    "EXCEPTION_HANDLER": "nas.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    # The schema lists the offices, which are data: generating it in `check --deploy` would
    # need the database. The API's tests generate and validate it instead (schemathesis).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "TITLE": "NAS API",
    "DESCRIPTION": (
        "Referrals from referring organisations, their status, reference lists and the "
        "published statistics of the national assistance system for victims of human "
        "trafficking. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {"NationalityEnum": "nas.api.reference.NATIONALITY_CODES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nas.api.schema.strict_request_bodies",
        "nas.api.schema.blank_strings_any_of",
    ],
    # Swagger UI from the drf-spectacular-sidecar package: served by the site, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("NAS_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools tell every step of each PDF at INFO: only their problems.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
