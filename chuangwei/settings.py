"""The one settings module. Everything environment-specific comes from env vars (see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from chuangwei.lib.env import bbox_setting, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Without DEBUG a real secret is required; with DEBUG a fixed development key is acceptable.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-insecure-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "chuangwei.core",
    "chuangwei.accounts",
    "chuangwei.org",
    "chuangwei.notifications",
    "chuangwei.places",
    "chuangwei.standards",
    "chuangwei.problems",
    "chuangwei.inspections",
    "chuangwei.readiness",
    "chuangwei.rankings",
    "chuangwei.dashboards",
    "chuangwei.reports",
    "chuangwei.public",
    "chuangwei.open311",
    "chuangwei.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "chuangwei.core.middleware.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chuangwei.urls"
WSGI_APPLICATION = "chuangwei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chuangwei.core.context_processors.navigation",
                "chuangwei.notifications.context_processors.unread",
            ],
        },
    },
]

# SQLite is the embedded default: WAL lets readers run beside the writer, IMMEDIATE
# transactions make writers queue on the busy timeout instead of failing mid-transaction.
DATA_DIR = Path(env_str("CHUANGWEI_DATA_DIR", str(BASE_DIR / "var")))
_default_db = f"sqlite:///{DATA_DIR / 'chuangwei.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
# A streaming replica takes the heavy read-only work that opts in (core.db_router).
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["chuangwei.core.db_router.ReplicaRouter"]
# PostgreSQL compiles expensive-looking queries to machine code first (JIT); for this
# app's aggregates that costs more than it saves (the monthly ranking's cohort query:
# 613 ms of compiling in a 1.2 s query). Sent as a connection option; empty keeps the
# server's setting (e.g. behind a pooler that refuses startup options, set it per role).
_pg_options = env_str("DB_POSTGRES_OPTIONS", "-c jit=off")
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql" and _pg_options:
        _alias.setdefault("OPTIONS", {})["options"] = _pg_options
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "chuangwei.accounts.throttle.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (accounts/throttle.py, docs/accounts.md): django-axes locks a username+address
# pair after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES; an address is also locked
# after CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT failures (any usernames) in its window of
# CHUANGWEI_LOGIN_ADDRESS_WINDOW_MINUTES (counted on the default cache: set CACHE_URL when
# several server processes run). AXES_ENABLED=0 turns both off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "chuangwei.accounts.throttle.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
CHUANGWEI_LOGIN_ADDRESS_WINDOW_MINUTES = env_int("CHUANGWEI_LOGIN_ADDRESS_WINDOW_MINUTES", 15)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chuangwei.formats"]
FILTERS_EMPTY_CHOICE_LABEL = _("All")
USE_THOUSAND_SEPARATOR = False

# Shared cache: per-process memory unless CACHE_URL names Redis (needed with several
# server processes, so rate limits and cached filter options are shared).
_cache_url = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background tasks (core.tasks): "inline" runs them in-process after commit; "rq" queues
# them in Redis for `manage.py rqworker`.
CHUANGWEI_TASKS = env_str("CHUANGWEI_TASKS", "inline")
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Photos and uploads on S3-compatible object storage (MinIO, OSS, COS) when a bucket is set.
if env_str("CHUANGWEI_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CHUANGWEI_S3_BUCKET", ""),
            "endpoint_url": env_str("CHUANGWEI_S3_ENDPOINT", "") or None,
            "access_key": env_str("CHUANGWEI_S3_ACCESS_KEY", ""),
            "secret_key": env_str("CHUANGWEI_S3_SECRET_KEY", ""),
            "region_name": env_str("CHUANGWEI_S3_REGION", "") or None,
            "location": env_str("CHUANGWEI_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024
# Largest spreadsheet or document a user may upload (bytes).
CHUANGWEI_MAX_UPLOAD_BYTES = env_int("CHUANGWEI_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# Map tiles: "none" works offline with polygons and points only.
CHUANGWEI_MAP_TILES = env_str("CHUANGWEI_MAP_TILES", "none")
CHUANGWEI_TIANDITU_KEY = env_str("CHUANGWEI_TIANDITU_KEY", "-")
CHUANGWEI_CITY_NAME = env_str("CHUANGWEI_CITY_NAME", "枣庄市")
# Where input points are plausible (places.services.city_bounds): "min_lng,min_lat,max_lng,max_lat"
# in WGS-84; empty: the grids' extent grown by CHUANGWEI_CITY_BOUNDS_MARGIN_KM (no grids: any
# valid WGS-84 point).
CHUANGWEI_CITY_BOUNDS = bbox_setting("CHUANGWEI_CITY_BOUNDS", env_list("CHUANGWEI_CITY_BOUNDS"))
CHUANGWEI_CITY_BOUNDS_MARGIN_KM = env_int("CHUANGWEI_CITY_BOUNDS_MARGIN_KM", 20)
# Title block of work briefings (reports app): masthead and issuing office (numbering key).
CHUANGWEI_BRIEFING_MASTHEAD = env_str("CHUANGWEI_BRIEFING_MASTHEAD", "创卫工作简报")
CHUANGWEI_BRIEFING_OFFICE = env_str("CHUANGWEI_BRIEFING_OFFICE", "市创卫办")

# Notifications: e-mail goes to the log unless CHUANGWEI_EMAIL_SENDER=smtp.
CHUANGWEI_NOTIFICATION_SENDERS = {
    "email": "chuangwei.notifications.senders.EmailSender"
    if env_str("CHUANGWEI_EMAIL_SENDER", "log") == "smtp"
    else "chuangwei.notifications.senders.LogSender",
}
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "chuangwei@localhost")
# A dead mail server must not hang the notification worker.
EMAIL_TIMEOUT = 10

# The rectification ledger (problems app).
CHUANGWEI_WORK_PERIODS = env_str("CHUANGWEI_WORK_PERIODS", "08:30-12:00,13:30-17:30")
# Overdue spans (hours after the deadline) for the escalation levels 督办, 通报, 约谈.
CHUANGWEI_ESCALATION_HOURS = env_list("CHUANGWEI_ESCALATION_HOURS", ["24", "72", "168"])
CHUANGWEI_DUPLICATE_RADIUS_M = env_int("CHUANGWEI_DUPLICATE_RADIUS_M", 50)
CHUANGWEI_DUPLICATE_DAYS = env_int("CHUANGWEI_DUPLICATE_DAYS", 7)
CHUANGWEI_RECURRENCE_RADIUS_M = env_int("CHUANGWEI_RECURRENCE_RADIUS_M", 50)
CHUANGWEI_RECURRENCE_DAYS = env_int("CHUANGWEI_RECURRENCE_DAYS", 30)
CHUANGWEI_MAX_PHOTO_BYTES = env_int("CHUANGWEI_MAX_PHOTO_BYTES", 10 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "chuangwei.core.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "chuangwei.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "chuangwei.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "6000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chuangwei API",
    "DESCRIPTION": "REST API of the Chuangwei sanitary-city campaign platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BriefingKindEnum": "chuangwei.reports.choices.BriefingKind",
        "BriefingSectionKindEnum": "chuangwei.reports.choices.SectionKind",
        "MilestoneKindEnum": "chuangwei.reports.choices.MilestoneKind",
        "CycleKindEnum": "chuangwei.readiness.choices.CycleKind",
        "StageKindEnum": "chuangwei.readiness.choices.StageKind",
    },
}

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line for log collectors (LOG_FORMAT=json).
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_str("LOG_FORMAT", "plain") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
