"""One env-driven settings module (healthchecks style).

Every knob is an environment variable with a safe default for the embedded SQLite demo.
Production sets ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL=postgres://…``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("ZHOUQIAO_HOME", Path.cwd()))


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: `make demo` and the test suite (zhouqiao.settings_test) turn it on explicitly.
DEBUG = envbool("DEBUG", "0")
SECRET_KEY = os.environ.get("SECRET_KEY", "zhouqiao-insecure-development-key-change-me-in-production!")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "zhouqiao.core",
    "zhouqiao.accounts",
    "zhouqiao.catalog",
    "zhouqiao.search",
    "zhouqiao.market",
    "zhouqiao.contracts",
    "zhouqiao.policy",
    "zhouqiao.vouchers",
    "zhouqiao.facilities",
    "zhouqiao.community",
    "zhouqiao.programs",
    "zhouqiao.programs.challenges",
    "zhouqiao.programs.projects",
    "zhouqiao.programs.patent_pool",
    "zhouqiao.community.institutions",
    "zhouqiao.community.events",
    "zhouqiao.community.exchange",
    "zhouqiao.insights",
    "zhouqiao.insights.innovation_index",
    "zhouqiao.insights.targets",
    "zhouqiao.insights.reports",
    "zhouqiao.insights.enterprises",
    "zhouqiao.notifications",
    "zhouqiao.ops",
    "zhouqiao.web",
]

MIDDLEWARE = [
    "zhouqiao.ops.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhouqiao.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhouqiao.notifications.middleware.FreshTodoCountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhouqiao.core.middleware.ClientAddressMiddleware",
    "zhouqiao.accounts.middleware.IdleTimeoutMiddleware",
    "zhouqiao.accounts.middleware.PasswordExpiryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhouqiao.urls"
WSGI_APPLICATION = "zhouqiao.wsgi.application"
ASGI_APPLICATION = "zhouqiao.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhouqiao.web.context_processors.portal",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default: WAL and BEGIN IMMEDIATE, so that a write transaction takes the
# database write lock at its start (row locks do nothing on SQLite).
DEFAULT_SQLITE = PROJECT_DIR / "var" / "zhouqiao.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file (not in-memory) so that live-server tests see real concurrent connections; one per
    # process so that simultaneous test runs do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(PROJECT_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # A lock that cannot be had within this time raises; services turn it into "busy, try again".
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c lock_timeout=5000")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login security (等保 level 3 application controls) --------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workspace"
LOGOUT_REDIRECT_URL = "web:home"

AXES_FAILURE_LIMIT = envint("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOCKOUT_MINUTES", 30))
# Failures count per account AND address together (等保: 登录失败处理): five wrong passwords lock
# that account from that address, so a stranger cannot lock a named user out from his own address,
# and the other people behind the same address (an office's one public IP) still sign in.
# Guessing one account from many addresses is bounded by the login failure limit per account below.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock ends LOCKOUT_MINUTES after the last counted failure; attempts during the lock do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_LOCKOUT_CALLABLE = "zhouqiao.ops.ratelimit.axes_lockout_response"  # the template, with Retry-After
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "zhouqiao.core.middleware.client_ip"
# Behind a reverse proxy: the header (as in request.META) that carries the client's address, e.g.
# HTTP_X_REAL_IP. Empty means no proxy: REMOTE_ADDR is the client, and X-Forwarded-* is ignored.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "").strip()

# Rate limits (zhouqiao.ops.ratelimit): COUNT/PERIOD per client address and per account, fixed
# windows; over a limit the request answers 429 with Retry-After. Every rate is an environment
# variable, e.g. RATELIMIT_SEARCH_IP=120/1m; RATELIMIT_ENABLED=0 turns them all off.
RATELIMIT_ENABLED = envbool("RATELIMIT_ENABLED", "1")


def _rates(scope: str, ip: str, account: str) -> dict:
    name = scope.upper()
    return {
        "ip": os.environ.get(f"RATELIMIT_{name}_IP", ip),
        "account": os.environ.get(f"RATELIMIT_{name}_ACCOUNT", account),
    }


RATELIMITS = {
    # Logins count FAILED sign-ins only (wrong password, wrong second-step code); a successful one
    # never counts, so an office whose staff share one public address is never shut out by its own
    # logins. Per address a high ceiling (100 failures in 10 minutes: a password-spraying run, not a
    # busy office); per account name, across all addresses, 20 — a distributed guess at one account.
    # Together with the axes lockout above (5 failures lock that account from that address).
    "login": _rates("login", "100/10m", "20/10m"),
    "register": _rates("register", "10/10m", "5/10m"),
    "password_reset": _rates("password_reset", "5/10m", "3/10m"),
    "search": _rates("search", "60/1m", "60/1m"),
    "novelty": _rates("novelty", "30/10m", "20/10m"),
    "bid": _rates("bid", "60/1m", "30/1m"),
}

# Idle timeout: the session cookie lives SESSION_IDLE_MINUTES and every request renews it.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
# The idle clock (accounts.middleware.IdleTimeoutMiddleware) marks the session — which saves it and
# renews its cookie — at most once a minute of the person's own activity, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# "dengbao": ≥ 8 characters, 3 of the 4 character classes, changed every 90 days (GB/T 22239-2019
# level 3 practice). "asvs": OWASP ASVS 4 §2.1 — ≥ 12 characters, no composition rule, no expiry.
PASSWORD_PROFILE = os.environ.get("PASSWORD_PROFILE", "dengbao")
PASSWORD_PROFILES = {
    "dengbao": {"min_length": 8, "min_classes": 3, "max_age_days": 90},
    "asvs": {"min_length": 12, "min_classes": 0, "max_age_days": None},
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhouqiao.accounts.passwords.ProfileLengthValidator"},
    {"NAME": "zhouqiao.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files: everything is served by the application itself (no CDN) --------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "var" / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security headers ----------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from the host itself speak plain HTTP
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if TRUSTED_PROXY_HEADER:  # only a proxy we know of may tell us the request came over HTTPS
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Background tasks (django-tasks, database backend: no broker) ------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhouqiao@localhost")

# Days a reviewer has to decide an organisation's verification before the to-do list flags it
# overdue (no statutory limit in the seeds: our service standard, configurable).
ORGANISATION_REVIEW_DAYS = envint("ORGANISATION_REVIEW_DAYS", 5)
# Working days a reviewer has to publish or return a submitted achievement or demand before the
# to-do list flags it overdue (no limit stated in the seeds or research: our service standard).
CATALOG_REVIEW_DAYS = envint("CATALOG_REVIEW_DAYS", 5)
# Days before a voucher expires that its holder is told (``zhouqiao vouchers remind``, daily).
VOUCHER_EXPIRY_NOTICE_DAYS = envint("VOUCHER_EXPIRY_NOTICE_DAYS", 30)

# Uploads (catalog attachments and import files), in bytes.
CATALOG_ATTACHMENT_MAX_BYTES = envint("CATALOG_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
CATALOG_IMPORT_MAX_BYTES = envint("CATALOG_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Days a registrar has to decide on a submitted technology contract (statutory: 30).
ZHOUQIAO_CONTRACT_DECISION_DAYS = envint("ZHOUQIAO_CONTRACT_DECISION_DAYS", 30)
# Years after grant with no contract, licence or implementation recorded before a tracked invention
# patent is flagged 未实施 (seed 002 §26 says 3; the national 2023-2025 action plan's figure is 5).
ZHOUQIAO_PATENT_IDLE_YEARS = envint("ZHOUQIAO_PATENT_IDLE_YEARS", 3)
# Days before a pooled patent's annual fee falls due that the program officers' to-do shows it.
ZHOUQIAO_PATENT_FEE_NOTICE_DAYS = envint("ZHOUQIAO_PATENT_FEE_NOTICE_DAYS", 30)
# Years back that a collaboration (a contract, a deal, a joint application) between an expert's
# organisation and an applicant bars the expert from reviewing it (community.conflicts). No Jilin
# text was found; 3 is government procurement's window (research brief on 回避 rules).
ZHOUQIAO_CONFLICT_YEARS = envint("ZHOUQIAO_CONFLICT_YEARS", 3)

# API input bounds: JSON bodies nested deeper than this are refused (400); amounts, pages and years
# are bounded by their types in zhouqiao.core.bounds.
API_MAX_JSON_DEPTH = envint("API_MAX_JSON_DEPTH", 32)

# The version of the privacy notice (/privacy/) a person agrees to at registration; a new version
# of the text gets a new value here, and the consent records name the version each person saw.
PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-12-07")

# Fernet keys for fields encrypted at rest (ID numbers; zhouqiao.core.crypto), comma-separated, the
# first encrypts. Unset: a key derived from SECRET_KEY (production should set its own and keep it).
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", "")

# Audit records are kept at least this long; nothing in the application deletes them earlier.
AUDIT_RETENTION_DAYS = max(envint("AUDIT_RETENTION_DAYS", 183), 183)

# Logs: one JSON object a line on stderr (LOG_FORMAT=text for a terminal), each with the request id
# that the response's X-Request-ID header shows; LOG_LEVEL=INFO adds one line per request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "zhouqiao.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "zhouqiao.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "text" if LOG_FORMAT == "text" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# /healthz (zhouqiao.ops.health): unhealthy when the oldest due task has waited longer than this, or
# when less disk space than this is free where the media files (and a SQLite database) live.
HEALTH_TASK_LAG_SECONDS = envint("HEALTH_TASK_LAG_SECONDS", 300)
HEALTH_DISK_MIN_FREE_MB = envint("HEALTH_DISK_MIN_FREE_MB", 1024)
# `zhouqiao backup` writes its archives here unless told otherwise; PG_BIN: where pg_dump and
# pg_restore are, if not on PATH (their major version must be at least the server's).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", PROJECT_DIR / "var" / "backups"))
PG_BIN = os.environ.get("PG_BIN", "")
