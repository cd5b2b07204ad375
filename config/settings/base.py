"""Settings shared by every environment."""

import os
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, VAR_DIR, database_config, env_bool, replica_config

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    # Staff sign-in (decision 0021): TOTP devices and recovery codes, the Content-Security-Policy header.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "socius.common",
    "socius.ops",
    "socius.accounts",
    "socius.registry",
    "socius.casework",
    "socius.assessments",
    "socius.plans",
    "socius.benefits",
    "socius.payments",
    "socius.family",
    "socius.services",
    "socius.community",
    "socius.desk",
    "socius.reporting",
    "socius.privacy",
    "socius.web",
]

MIDDLEWARE = [
    "socius.ops.middleware.ObservabilityMiddleware",  # outermost: request id, JSON request log, metrics (0019)
    "django.middleware.security.SecurityMiddleware",
    "socius.common.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "socius.web.middleware.UserLanguageMiddleware",
    "socius.web.middleware.CentreTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Staff sign-in (decision 0021): absolute session lifetime, "sign out of all sessions", security headers.
    "socius.accounts.sessions.SessionLifetimeMiddleware",
    "csp.middleware.CSPMiddleware",
    "socius.common.headers.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "socius.common.middleware.RequestContextMiddleware",
    "socius.common.trail.DatabaseActorMiddleware",
    "axes.middleware.AxesMiddleware",
    "socius.ops.replica.ReplicaReadsMiddleware",  # reports and exports read the replica, when one is set
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
# Scaling past one machine (docs/deploy.md): a PostgreSQL read replica for reports and exports.
if _replica := replica_config():
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["socius.ops.replica.ReplicaRouter"]
# GETs that only read what existed before them (pages that open a report, or files a job is writing, stay on the
# primary: a replica a few milliseconds behind would not know them yet).
SOCIUS_REPLICA_VIEWS = [
    "web:statistics",
    "web:statistics_report",
    "web:statistics_export",
    "web:dashboard",
    "web:report_drilldown",
    "web:report_export_*",
    "api_reports_*",
]
SOCIUS_REPLICA_PIN_SECONDS = int(os.environ.get("SOCIUS_REPLICA_PIN_SECONDS", "15"))
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

# Staff sign-in (decision 0021). A session ends SOCIUS_SESSION_MAX_HOURS after its login however busy it is
# (the idle timeout above ends it sooner); the centre's two-factor roles are its administrator's setting.
SOCIUS_SESSION_MAX_AGE = timedelta(hours=float(os.environ.get("SOCIUS_SESSION_MAX_HOURS", "12")))
# How long the password step of a two-factor login waits for its code, and how many wrong codes it takes.
SOCIUS_SECOND_FACTOR_WAIT = timedelta(minutes=5)
SOCIUS_SECOND_FACTOR_ATTEMPTS = 5
OTP_TOTP_ISSUER = "Socius"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline script
# (htmx reads its config from a meta tag and injects no style). Inline style attributes remain in templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SOCIUS_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Login throttling (django-axes): lock a username+IP after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("SOCIUS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "socius.common.middleware.client_ip"

# The client's address is REMOTE_ADDR unless reverse proxies stand in front: then set SOCIUS_PROXY_COUNT
# to how many append to X-Forwarded-For (1 for one nginx). The login throttle, the login lockout and the
# audit's "from where" read the address the outermost proxy saw, never one the client wrote itself.
SOCIUS_PROXY_COUNT = int(os.environ.get("SOCIUS_PROXY_COUNT", "0"))

# The login throttle counts in the cache, so every server process must share it (gunicorn runs several):
# Redis when SOCIUS_CACHE_URL names one (redis://host:6379/1), else files under var/cache on this machine.
_CACHE_URL = os.environ.get("SOCIUS_CACHE_URL", "")
if _CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }

# API tokens expire this long after the login that issued them (a new login issues a new token).
SOCIUS_TOKEN_LIFETIME = timedelta(hours=float(os.environ.get("SOCIUS_TOKEN_HOURS", "8")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "socius.accounts.tokens.ExpiringTokenAuthentication",
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
    "NUM_PROXIES": SOCIUS_PROXY_COUNT,
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
        "ApplicationStatusEnum": "socius.benefits.statuses.ApplicationStatus.choices",
        "DecisionStatusEnum": "socius.benefits.statuses.DecisionStatus.choices",
        "DecisionKindEnum": "socius.benefits.statuses.DecisionKind.choices",
        "GrantStateEnum": "socius.benefits.statuses.GrantState.choices",
        "IncomeKindEnum": "socius.benefits.models.IncomeKind.choices",
        "FundKindEnum": "socius.payments.statuses.FundKind.choices",
        "AllocationKindEnum": "socius.payments.statuses.AllocationKind.choices",
        "PaymentChannelEnum": "socius.payments.statuses.PaymentChannel.choices",
        "TransferStatusEnum": "socius.payments.statuses.TransferStatus.choices",
        "PaymentRunKindEnum": "socius.payments.statuses.RunKind.choices",
        "PaymentRunStatusEnum": "socius.payments.statuses.RunStatus.choices",
        "PaymentStatusEnum": "socius.payments.statuses.PaymentStatus.choices",
        "JobStateEnum": "socius.payments.statuses.JobState.choices",
        "StatementFormatEnum": "socius.payments.statuses.StatementFormat.choices",
        "StatementLineOutcomeEnum": "socius.payments.statuses.EntryOutcome.choices",
        # Social services core (issue 11, svc).
        "ServiceDecisionStatusEnum": "socius.services.statuses.DecisionStatus.choices",
        "ServiceUnitEnum": "socius.services.statuses.ServiceUnit.choices",
        "QuantityPerEnum": "socius.services.statuses.QuantityPer.choices",
        "ServiceWorkerKindEnum": "socius.services.statuses.WorkerKind.choices",
        "WaitingPriorityEnum": "socius.services.statuses.WaitingPriority.choices",
        "WaitingStatusEnum": "socius.services.statuses.WaitingStatus.choices",
        # Family support and child protection (issue 10).
        "EnrolmentRouteEnum": "socius.family.statuses.EnrolmentRoute.choices",
        # Reports (issue 12, repengine).
        "ReportKindEnum": "socius.reporting.statuses.ReportKind.choices",
        "ReportVersionStatusEnum": "socius.reporting.statuses.VersionStatus.choices",
        "ReportNarrativeStatusEnum": "socius.reporting.statuses.NarrativeStatus.choices",
        "ReportDifferenceKindEnum": "socius.reporting.serializers.DIFFERENCE_KINDS",
        "IndicatorUnitEnum": "socius.reporting.serializers.UNITS",
        "ReportFileFormatEnum": "socius.reporting.serializers.REPORT_FORMATS",
        # Monthly service statements (issue 11).
        "ServiceStatementStatusEnum": "socius.services.statuses.StatementStatus.choices",
        "EnrolmentStatusEnum": "socius.family.statuses.EnrolmentStatus.choices",
        "ClosureOutcomeEnum": "socius.family.statuses.ClosureOutcome.choices",
        "ConsentMethodEnum": "socius.family.statuses.ConsentMethod.choices",
        "WorkAreaEnum": "socius.family.statuses.WorkArea.choices",
        "WorkPlanStatusEnum": "socius.family.statuses.WorkPlanStatus.choices",
        # PlanItemStatus is the set of plans.ActionStatus: its items share PlanActionStatusEnum.
        "ActivityPlaceEnum": "socius.family.statuses.ActivityPlace.choices",
        "ChildRiskEnum": "socius.family.statuses.ChildRisk.choices",
        "ChildStatusEnum": "socius.family.statuses.ChildStatus.choices",
        "FormOfCareEnum": "socius.family.statuses.FormOfCare.choices",
        "MeetingBodyEnum": "socius.family.statuses.MeetingBody.choices",
        "MeetingStatusEnum": "socius.family.statuses.MeetingStatus.choices",
        "FollowUpTaskStatusEnum": "socius.family.statuses.TaskStatus.choices",
        # The Blue Card (issue 10).
        "BlueCardStatusEnum": "socius.family.statuses.BlueCardStatus.choices",
        "BlueCardRoleEnum": "socius.family.statuses.BlueCardRole.choices",
        "BlueCardFormEnum": "socius.family.statuses.BlueCardForm.choices",
        "BlueCardInitiatorEnum": "socius.family.statuses.BlueCardInitiator.choices",
        "BlueCardClosureGroundEnum": "socius.family.statuses.BlueCardClosureGround.choices",
        # Outreach (issue 11).
        "OutreachEventKindEnum": "socius.community.statuses.EventKind.choices",
        # Outreach events and supervisions share their states (community.statuses.SupervisionStatus).
        "CommunityMeetingStatusEnum": "socius.community.statuses.EventStatus.choices",
        "OutreachPartnerRoleEnum": "socius.community.statuses.PartnerRole.choices",
        "PotentialRecipientStatusEnum": "socius.community.statuses.RecipientStatus.choices",
        "AttendeeConsentEnum": "socius.community.statuses.AttendeeConsent.choices",
        # Rosters, visits and deliveries of social services (issue 11, roster).
        "RosterStatusEnum": "socius.services.statuses.RosterStatus.choices",
        "ServiceVisitStatusEnum": "socius.services.statuses.VisitStatus.choices",
        "DeliveryOutcomeEnum": "socius.services.statuses.DeliveryOutcome.choices",
        "MissedReasonEnum": "socius.services.statuses.MissedReason.choices",
        # Supervision and the calendar (issue 11).
        "FacilitatorKindEnum": "socius.community.statuses.FacilitatorKind.choices",
        "CalendarKindEnum": "socius.community.statuses.CalendarKind.choices",
        "CalendarEntryKindEnum": "socius.community.serializers_calendar.ENTRY_KIND_CHOICES",
        # Retention (issue 13, decision 0023).
        "RetentionReviewStatusEnum": "socius.privacy.statuses_retention.ReviewStatus.choices",
        "ErasureRequestStatusEnum": "socius.privacy.statuses_retention.ErasureStatus.choices",
        # Subject access (issue 13, sar).
        "SubjectAccessChannelEnum": "socius.privacy.statuses.SarChannel.choices",
    },
    "TAGS": [
        {"name": "auth", "description": "Token for API clients (`Authorization: Token <token>`)."},
        {"name": "persons", "description": "The person registry of your centre."},
        {"name": "households", "description": "Households and their dated membership."},
        {"name": "audit", "description": "Who did what to which record (auditors and directors)."},
        {
            "name": "funds",
            "description": "Funds, their yearly allocations and amendments and their statements; "
            "`/benefit-funds/` sets which fund each benefit draws on in your centre (one row per benefit).",
        },
        {
            "name": "payment runs",
            "description": "Monthly and extra payment runs: prepared and checked by finance, approved by a second "
            "authorised person (four eyes), exported to pain.001, CSV and a cash list; who may approve them.",
        },
        {
            "name": "payments",
            "description": "Payments (IBANs masked unless you are finance or an auditor; social workers see their "
            "clients'), returns to reissue or cancel, and changes of payment details.",
        },
        {"name": "bank statements", "description": "camt.053 and CSV statements matched on the end-to-end id."},
        {"name": "transfers", "description": "Transfers to institutions and one-off payments, with four eyes."},
        {
            "name": "family support",
            "description": "The family assistant programme: enrolments (requested, approved, court-ordered), consents, "
            "work plans, the assistant's activity log, assessments, assistants' loads and monthly timesheets.",
        },
        {
            "name": "child protection",
            "description": "Children in difficulty and their forms of care, meetings of the bodies on children's "
            "cases, their decisions and the follow-up tasks.",
        },
    ],
}

# Celery runs long jobs (imports, payment runs) on Redis; without a broker they run inline.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Results (an import's summary the page waits for) in Redis beside the broker; queues, routes, the beat.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL if CELERY_BROKER_URL else None)
from config.jobs import *  # noqa: E402, F403

# Uploads: imports are read from memory up to 25 MB (a 100,000-row CSV is about 10 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
SOCIUS_IMPORT_MAX_BYTES = int(os.environ.get("SOCIUS_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

# No personal data in logs: request bodies and SQL parameters are never logged.
# Observability (decision 0019): JSON lines on standard error (SOCIUS_LOG_FORMAT=text for a human at a
# terminal), each with the request's or task's id; one line a request from socius.ops's middleware.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "socius.common.logging.NoPersonalDataFilter"}},
    "formatters": {
        "json": {"()": "socius.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_personal_data"],
            "formatter": "text" if os.environ.get("SOCIUS_LOG_FORMAT") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.db.backends": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        "django.request": {"level": "ERROR", "handlers": ["console"], "propagate": False},
        # Celery logs a task's return value at INFO ("succeeded in 0.1s: <value>"): a person's data could be
        # in it. socius.tasks logs each task's name, id, outcome and time instead.
        "celery.app.trace": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        "socius": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "socius.requests": {
            "level": "INFO" if env_bool("SOCIUS_REQUEST_LOG", True) else "WARNING",
            "handlers": ["console"],
            "propagate": False,
        },
    },
}
# A Celery worker logs through LOGGING above (JSON, filtered), not through handlers of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Observability (decision 0019). /metrics answers only a scrape with `Authorization: Bearer <this token>`;
# without a token set it does not exist (404). /healthz fails its disk check below this much free space
# where Socius writes, and gives up on the broker after this many seconds.
SOCIUS_METRICS_TOKEN = os.environ.get("SOCIUS_METRICS_TOKEN", "")
SOCIUS_HEALTH_MIN_FREE_MB = int(os.environ.get("SOCIUS_HEALTH_MIN_FREE_MB", "500"))
SOCIUS_HEALTH_TIMEOUT_SECONDS = float(os.environ.get("SOCIUS_HEALTH_TIMEOUT_SECONDS", "2"))
# Probes and scrapes speak plain HTTP inside the network: no redirect to HTTPS for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Documents attached to cases: at most this size, and only these types (checked by the file's content).
SOCIUS_DOCUMENT_MAX_BYTES = int(os.environ.get("SOCIUS_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
SOCIUS_DOCUMENT_TYPES = ["application/pdf", "image/jpeg", "image/png", "image/tiff"]

# Payments: the most credit transfers in one pain.001 file (message); a run makes several files beyond it
# (socius.payments.bankfiles.pain001). Banks' limits vary: set it to your bank's.
PAYMENTS_PAIN001_MAX_TRANSACTIONS = int(os.environ.get("SOCIUS_PAIN001_MAX_TRANSACTIONS", "10000"))
