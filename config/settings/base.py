"""Settings shared by every environment."""

import os

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, VAR_DIR, database_config, env_bool

SECRET_KEY = os.environ.get("SOCIUS_SECRET_KEY", "insecure-dev-key-change-me-in-production")
DEBUG = env_bool("SOCIUS_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("SOCIUS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "socius.common",
    "socius.accounts",
    "socius.registry",
    "socius.casework",
    "socius.assessments",
    "socius.plans",
    "socius.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "socius.common.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "socius.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "socius.common.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "socius.web.context_processors.socius",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": database_config(VAR_DIR / "socius.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Languages of the centres we serve: Polish, Romanian (Moldova), Lithuanian, Russian, English.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("lt", _("Lithuanian")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Privacy: short sessions, no cookies readable by scripts, CSRF everywhere.
SESSION_COOKIE_AGE = int(os.environ.get("SOCIUS_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login throttling (django-axes): lock a username+IP after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("SOCIUS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "socius.common.api.StandardPagination",
    # Any JSON that cannot be read (deep nesting included) is a 400, a body past the limit a 413.
    "DEFAULT_PARSER_CLASSES": [
        "socius.common.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "socius.common.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Socius API",
    "DESCRIPTION": "Case management and social assistance for local social welfare centres.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc served from drf-spectacular-sidecar's static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several "status" fields with different choices: name each set so the schema is stable.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "socius.common.api.add_standard_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "socius.casework.statuses.CaseStatus.choices",
        "VisitStatusEnum": "socius.casework.models_visits.VisitStatus.choices",
        "ReferralStatusEnum": "socius.casework.statuses.ReferralStatus.choices",
        "AssessmentStatusEnum": "socius.assessments.models.AssessmentStatus.choices",
        "AssessmentKindEnum": "socius.assessments.models.AssessmentKind.choices",
        "HelpPlanStatusEnum": "socius.plans.statuses.PlanStatus.choices",
        "PlanActionStatusEnum": "socius.plans.statuses.ActionStatus.choices",
        "ContractStatusEnum": "socius.plans.statuses.ContractStatus.choices",
        "PlanActionKindEnum": "socius.plans.models.ActionKind.choices",
        "ConsequenceEnum": "socius.plans.models.Consequence.choices",
        "FlagKindEnum": "socius.plans.models.FlagKind.choices",
        "FlagStateEnum": "socius.plans.selectors.FlagState.CHOICES",
    },
    "TAGS": [
        {"name": "auth", "description": "Token for API clients (`Authorization: Token <token>`)."},
        {"name": "persons", "description": "The person registry of your centre."},
        {"name": "households", "description": "Households and their dated membership."},
        {"name": "audit", "description": "Who did what to which record (auditors and directors)."},
    ],
}

# Celery runs long jobs (imports, payment runs) on Redis; without a broker they run inline.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True

# Uploads: imports are read from memory up to 25 MB (a 100,000-row CSV is about 10 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
SOCIUS_IMPORT_MAX_BYTES = int(os.environ.get("SOCIUS_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

# No personal data in logs: request bodies and SQL parameters are never logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "socius.common.logging.NoPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_personal_data"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.db.backends": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        "django.request": {"level": "ERROR", "handlers": ["console"], "propagate": False},
        "socius": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}

# Documents attached to cases: at most this size, and only these types (checked by the file's content).
SOCIUS_DOCUMENT_MAX_BYTES = int(os.environ.get("SOCIUS_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
SOCIUS_DOCUMENT_TYPES = ["application/pdf", "image/jpeg", "image/png", "image/tiff"]
