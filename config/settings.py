"""Settings: embedded defaults for one person trying the product; the environment for production.

`DJANGO_ENV=production` switches on the hardened mode (`manage.py check --deploy` is clean there);
it then requires `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`. Any other value refuses to start.
"""

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A misspelt name ("prod") must not fall back to the open development mode.
ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = False if PRODUCTION else env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghijklmnop"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "casework.error_views.csrf_failure"

INSTALLED_APPS = [
    "daphne",
    # django.contrib.admin, for superusers only.
    "casework.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_fsm",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "casework",
    "workflows",
    "fund",
    "escalation",
    "arrears",
    "prevention",
    "figures",
    "elections",
    "documents",
    "agreements",
    "portal",
    "departments",
    "supervision",
    "notifications",
]
if not PRODUCTION:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite by default so a newcomer needs nothing; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other (up to `timeout` seconds) instead of failing at once with
    # "database is locked": a transaction takes the write lock when it begins (a deferred one
    # that read first cannot upgrade its lock and fails without waiting), and with WAL readers
    # do not block the writer. synchronous=NORMAL is safe under WAL and spares an fsync a commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
else:
    # No JIT compilation: it costs hundreds of milliseconds on the figures' aggregates over a
    # million petitions (planned as expensive), more than it saves them (bench/figures.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis pub/sub: a group alert to 1,000 people reached the last of them in ~0.2 s where the
    # list-based core layer took ~3 s (bench/fanout.py); a message to a process that is not
    # listening is lost, which the stored notifications and catch-up on reconnect make good.
    # socket_timeout=None: redis-py's 5 s default closed idle websockets (STACK-NOTES).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The search limit and the failed sign-ins are counted here: with several server processes, the
# count must be shared, so production with Redis keeps it there.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "casework",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's backend, refusing a user name locked out after repeated failures (casework.lockout).
AUTHENTICATION_BACKENDS = ["casework.lockout.LockoutBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "casework:petition-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves `collectstatic`'s output; development serves from the apps (whitenoise's
# finders), so a newcomer needs no collectstatic step.
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or (
    BASE_DIR / "staticfiles" if PRODUCTION else None
)
# Evidence and case documents: files outside the web root, served only by views that check who
# may see the case (never under STATIC_URL or a MEDIA_URL): `lib.files.private_storage`.
PRIVATE_FILES_ROOT = os.environ.get("CASEWORK_PRIVATE_FILES_ROOT") or BASE_DIR / "var/private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casework API",
    "DESCRIPTION": "Workers' petitions, their life cycle and timeline.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: the docs work without reaching a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the petition status wherever it appears (status, target, expected_status).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "casework.models.Status",
        "ReleaseStatusEnum": "fund.models.ReleaseStatus",
    },
}

# Rules from DESIGN.md, named once. Local rules differ by jurisdiction: override via environment.
CASEWORK = {
    # Labor Dispute Mediation and Arbitration Law, Art. 7: ten or more workers -> group case.
    "GROUP_PETITION_MIN_WORKERS": int(os.environ.get("CASEWORK_GROUP_MIN_WORKERS", "10")),
    # Petition rules: a group visit elects at most five representatives.
    "MAX_REPRESENTATIVES": int(os.environ.get("CASEWORK_MAX_REPRESENTATIVES", "5")),
    # Dates before this year (a petition received, a session held) are typing errors.
    "EARLIEST_YEAR": int(os.environ.get("CASEWORK_EARLIEST_YEAR", "2000")),
    # Largest single claim accepted at intake, a guard against typing errors (yuan).
    "MAX_CLAIM_AMOUNT": Decimal(os.environ.get("CASEWORK_MAX_CLAIM_AMOUNT", "10000000")),
    # Roles that see resident ID numbers whole; everyone else sees them masked.
    "ID_NUMBER_FULL_ROLES": env_list(
        "CASEWORK_ID_NUMBER_FULL_ROLES", "mediator,supervisor,finance_officer,admin"
    ),
    # Roles that see workers' phone numbers whole (they call workers); everyone else sees them
    # masked.
    "PHONE_FULL_ROLES": env_list(
        "CASEWORK_PHONE_FULL_ROLES", "intake_clerk,mediator,supervisor,admin"
    ),
    # Failed sign-ins for one user name (login page, admin, API token) after which the name is
    # refused for some minutes.
    "SIGNIN_FAILURE_LIMIT": int(os.environ.get("CASEWORK_SIGNIN_FAILURE_LIMIT", "5")),
    "SIGNIN_LOCKOUT_MINUTES": int(os.environ.get("CASEWORK_SIGNIN_LOCKOUT_MINUTES", "15")),
    # Searches of the petitions a person may run (page and API together), as DRF writes a rate.
    "SEARCH_RATE": os.environ.get("CASEWORK_SEARCH_RATE", "30/min"),
    # Working days the other tasks of the petition flow have (local practice). Triage, mediation
    # Evidence files (photos, IOUs, payslips, screenshots, contracts): the largest file, and the
    # most files one form keeps.
    "EVIDENCE_MAX_FILE_MB": int(os.environ.get("CASEWORK_EVIDENCE_MAX_FILE_MB", "10")),
    "EVIDENCE_MAX_FILES": int(os.environ.get("CASEWORK_EVIDENCE_MAX_FILES", "20")),
    # The workers' portal: look-ups and online filings per client address, and wrong answers
    # per case number, each in a window of PORTAL_WINDOW_MINUTES; a look-up lasts
    # PORTAL_SESSION_MINUTES without use.
    "PORTAL_LOOKUPS_PER_ADDRESS": int(os.environ.get("CASEWORK_PORTAL_LOOKUPS_PER_ADDRESS", "20")),
    "PORTAL_FAILURES_PER_CASE": int(os.environ.get("CASEWORK_PORTAL_FAILURES_PER_CASE", "5")),
    "PORTAL_FILINGS_PER_ADDRESS": int(os.environ.get("CASEWORK_PORTAL_FILINGS_PER_ADDRESS", "5")),
    "PORTAL_WINDOW_MINUTES": int(os.environ.get("CASEWORK_PORTAL_WINDOW_MINUTES", "60")),
    "PORTAL_SESSION_MINUTES": int(os.environ.get("CASEWORK_PORTAL_SESSION_MINUTES", "30")),
    # Proxies in front of the site that append to X-Forwarded-For (0: read REMOTE_ADDR).
    "TRUSTED_PROXIES": int(os.environ.get("CASEWORK_TRUSTED_PROXIES", "0")),
    # and the fulfilment check fall due with their deadline rules (DEADLINES below).
    "TASK_DUE_DAYS": {
        "start_mediation": int(os.environ.get("CASEWORK_START_MEDIATION_DAYS", "3")),
        "refer": int(os.environ.get("CASEWORK_REFERRAL_DAYS", "5")),
        "close": int(os.environ.get("CASEWORK_CLOSURE_DAYS", "5")),
        "callback": int(os.environ.get("CASEWORK_CALLBACK_DAYS", "3")),
    },
    # The deadline rules a new database starts with (workflows.DeadlineRule rows, edited in admin
    # afterwards): length, "working" or "calendar" days (a calendar period ending on a day off
    # ends on the next working day), days an extension adds (0: none).
    "DEADLINES": {
        # Petition rules: acceptance is decided within 15 days of receipt.
        "acceptance": {"length": 15, "unit": "working", "extension": 0},
        # Art. 14: no agreement within 15 days of the application -> the parties may arbitrate.
        "mediation": {"length": 15, "unit": "calendar", "extension": 0},
        # Petition rules: handled within 60 days, extendable once by 30 with a reason.
        "handling": {"length": 60, "unit": "calendar", "extension": 30},
        # Art. 16: the employer pays by the date the agreement names.
        "payment": {"length": 0, "unit": "calendar", "extension": 0},
        # Local practice: the committee liaison acknowledges an escalation the next working day.
        "escalation_ack": {"length": 1, "unit": "working", "extension": 0},
        # Working days from receipt to a first result, per complexity tier (as 12351 and the
        # county conflict-mediation centres grade cases): simple, ordinary, complex.
        "result_simple": {"length": 1, "unit": "working", "extension": 0},
        "result_ordinary": {"length": 7, "unit": "working", "extension": 0},
        "result_complex": {"length": 20, "unit": "working", "extension": 0},
    },
    # The tier rules a new database starts with (workflows.TierRule rows, in this order, the
    # first that matches wins; none: ordinary). Conditions left out match anything.
    "TIER_RULES": [
        {"tier": "complex", "owner_missing": True},
        {"tier": "complex", "workers_at_least": 10},
        {"tier": "complex", "amount_at_least": Decimal("500000")},
        {
            "tier": "simple",
            "workers_at_most": 1,
            "amount_at_most": Decimal("10000"),
            "category": "remuneration",
        },
    ],
    # A mediator's load: each open petition they hold weighs its tier's weight times
    # (1 + its workers // LOAD_WORKERS_STEP); the lightest eligible mediator is picked.
    "TIER_WEIGHTS": {"simple": 1, "ordinary": 2, "complex": 4},
    "LOAD_WORKERS_STEP": 10,
    # A reminder goes out when this share of a deadline's time has passed (percent).
    "DEADLINE_REMINDER_PERCENT": int(os.environ.get("CASEWORK_DEADLINE_REMINDER_PERCENT", "80")),
    # Escalation to the party working committee, besides group petitions and missing owners
    # (seeded into escalation.EscalationRule rows): more workers than this, more claimed (yuan).
    "ESCALATION_WORKERS_ABOVE": int(os.environ.get("CASEWORK_ESCALATION_WORKERS_ABOVE", "30")),
    "ESCALATION_CLAIMED_ABOVE": Decimal(
        os.environ.get("CASEWORK_ESCALATION_CLAIMED_ABOVE", "500000")
    ),
    # Deadline timers fire inside the server process (the one-person default); production runs
    # `manage.py run_timers` beside the web workers instead.
    "TIMERS_IN_PROCESS": env_bool("CASEWORK_TIMERS_IN_PROCESS", not PRODUCTION),
    "TIMER_INTERVAL_SECONDS": int(os.environ.get("CASEWORK_TIMER_INTERVAL_SECONDS", "30")),
    # Monthly wage-arrears reports are due by this day of the following month: the rule a new
    # database starts with (arrears.ReportDueRule, per zone in admin afterwards).
    "ARREARS_REPORT_DUE_DAY": int(os.environ.get("CASEWORK_ARREARS_REPORT_DUE_DAY", "10")),
    # A report not filed by its due day: a reminder to the enterprise union this many days after
    # the due day, then an alert to the grid's mediators and the zone's supervisors this many
    # working days after the reminder, each at this hour (local time).
    "ARREARS_REMINDER_DAYS": int(os.environ.get("CASEWORK_ARREARS_REMINDER_DAYS", "1")),
    "ARREARS_ALERT_WORKING_DAYS": int(os.environ.get("CASEWORK_ARREARS_ALERT_WORKING_DAYS", "1")),
    # Working days a unit has to accept a transferred petition or send it back (then it is
    # taken as accepted).
    "TRANSFER_ANSWER_WORKING_DAYS": int(os.environ.get("CASEWORK_TRANSFER_ANSWER_DAYS", "3")),
    "ARREARS_NOTICE_HOUR": int(os.environ.get("CASEWORK_ARREARS_NOTICE_HOUR", "9")),
    # The statistics page recounts up to this many stale days of the figures' tallies before it
    # reads them; with more stale (a change touching many days, a move in the org tree), or a
    # recount running, it counts straight from the records while the timer loop recounts.
    "FIGURES_RECOUNT_ON_READ_DAYS": int(
        os.environ.get("CASEWORK_FIGURES_RECOUNT_ON_READ_DAYS", "31")
    ),
    # How many months back those timers look: after a stop they catch up this far, and a new
    # deployment does not remind every union of a year of reports it never filed here.
    "ARREARS_NOTICE_MONTHS": int(os.environ.get("CASEWORK_ARREARS_NOTICE_MONTHS", "3")),
    # Early warnings (预警) from monthly reports and screening visits: the rules a new database
    # starts with (prevention.WarningRule rows, edited in admin afterwards). A rule matches when
    # every threshold it names is reached; the highest level among the matching rules wins.
    # history: at least `count` reports with arrears within the last `months` months.
    "WARNING_RULES": [
        {"level": "blue", "signals_at_least": 1},
        {"level": "blue", "amount_owed_at_least": Decimal("0.01")},
        {"level": "blue", "workers_affected_at_least": 1},
        {"level": "yellow", "amount_owed_at_least": Decimal("100000")},
        {"level": "yellow", "workers_affected_at_least": 10},
        {"level": "yellow", "signals_at_least": 2},
        {"level": "yellow", "history_count": 2, "history_months": 3},
        {"level": "red", "amount_owed_at_least": Decimal("500000")},
        {"level": "red", "workers_affected_at_least": 30},
        {"level": "red", "signals": ["owner_unreachable"]},
        {"level": "red", "history_count": 3, "history_months": 3},
    ],
    # How long a stored Idempotency-Key answer is kept (hours).
    "IDEMPOTENCY_KEY_TTL_HOURS": int(os.environ.get("CASEWORK_IDEMPOTENCY_TTL_HOURS", "24")),
    # Elections of a group's representatives (elections app): hours a new election stays open by
    # default and at most, and wrong case-number-or-code tries on the voting page after which the
    # sender's address, or the case number, is refused for some minutes.
    "ELECTION_DEFAULT_HOURS": int(os.environ.get("CASEWORK_ELECTION_DEFAULT_HOURS", "72")),
    "ELECTION_MAX_HOURS": int(os.environ.get("CASEWORK_ELECTION_MAX_HOURS", "336")),
    "VOTE_FAILURES_PER_IP": int(os.environ.get("CASEWORK_VOTE_FAILURES_PER_IP", "10")),
    "VOTE_FAILURES_PER_CASE": int(os.environ.get("CASEWORK_VOTE_FAILURES_PER_CASE", "30")),
    "VOTE_LOCKOUT_MINUTES": int(os.environ.get("CASEWORK_VOTE_LOCKOUT_MINUTES", "15")),
    # Signing a mediation agreement (agreements app): minutes a signing code is valid, wrong
    # tries a code allows before a new one is needed, the largest drawn signature (KB); the days
    # from the agreement taking effect in which the parties may apply for judicial confirmation
    # (People's Mediation Law Art. 33), and the days before the last one the case page warns.
    "SIGNING_CODE_MINUTES": int(os.environ.get("CASEWORK_SIGNING_CODE_MINUTES", "15")),
    "SIGNING_CODE_TRIES": int(os.environ.get("CASEWORK_SIGNING_CODE_TRIES", "5")),
    "SIGNATURE_MAX_KB": int(os.environ.get("CASEWORK_SIGNATURE_MAX_KB", "300")),
    "JUDICIAL_CONFIRMATION_DAYS": int(os.environ.get("CASEWORK_JUDICIAL_CONFIRMATION_DAYS", "30")),
    "JUDICIAL_CONFIRMATION_WARN_DAYS": int(
        os.environ.get("CASEWORK_JUDICIAL_CONFIRMATION_WARN_DAYS", "7")
    ),
    # Case documents (documents app). The look-up address printed on acceptance notices; the
    # federation's seal (a PKCS#12 file and its passphrase; `make run` makes a self-signed demo
    # one); tries at rendering a document before it is shown as failed, and documents rendered
    # per pass of the timer loop; the verification page's largest upload and its uploads per
    # client address in a window of minutes.
    "PORTAL_URL": os.environ.get("CASEWORK_PORTAL_URL", "http://127.0.0.1:8000/portal/"),
    "SEAL_CERTIFICATE": os.environ.get("CASEWORK_SEAL_CERTIFICATE")
    or str(BASE_DIR / "var/seal/seal.p12"),
    "SEAL_PASSPHRASE": os.environ.get(
        "CASEWORK_SEAL_PASSPHRASE", "" if PRODUCTION else "demo-seal"
    ),
    "DOCUMENT_RENDER_ATTEMPTS": int(os.environ.get("CASEWORK_DOCUMENT_RENDER_ATTEMPTS", "3")),
    "DOCUMENT_RENDER_BATCH": int(os.environ.get("CASEWORK_DOCUMENT_RENDER_BATCH", "50")),
    "DOCUMENT_VERIFY_MAX_MB": int(os.environ.get("CASEWORK_DOCUMENT_VERIFY_MAX_MB", "20")),
    "DOCUMENT_VERIFY_PER_ADDRESS": int(
        os.environ.get("CASEWORK_DOCUMENT_VERIFY_PER_ADDRESS", "20")
    ),
    "DOCUMENT_VERIFY_WINDOW_MINUTES": int(
        os.environ.get("CASEWORK_DOCUMENT_VERIFY_WINDOW_MINUTES", "60")
    ),
    # Supervision orders (督办, supervision app): working days a new order gives by default;
    # the holder is reminded this many working days before the due date; the supervising unit
    # is told once the order is this many working days overdue.
    "SUPERVISION_DEFAULT_WORKING_DAYS": int(
        os.environ.get("CASEWORK_SUPERVISION_DEFAULT_WORKING_DAYS", "10")
    ),
    "SUPERVISION_REMIND_WORKING_DAYS": int(
        os.environ.get("CASEWORK_SUPERVISION_REMIND_WORKING_DAYS", "2")
    ),
    "SUPERVISION_ESCALATE_WORKING_DAYS": int(
        os.environ.get("CASEWORK_SUPERVISION_ESCALATE_WORKING_DAYS", "3")
    ),
    # Other departments (departments app): working days after which an unanswered referral
    # reminds its sender, and again each such period; working days a joint-handling part has
    # unless the lead names a due date. Arbitration (Labor Dispute Mediation and Arbitration Law):
    # the award within 45 days of accepting the application, extendable once by 15 (Art. 43);
    # the limitation of one year (Art. 27), warned of this many days before it runs out.
    "REFERRAL_REMINDER_WORKING_DAYS": int(
        os.environ.get("CASEWORK_REFERRAL_REMINDER_WORKING_DAYS", "5")
    ),
    "JOINT_PART_DUE_WORKING_DAYS": int(
        os.environ.get("CASEWORK_JOINT_PART_DUE_WORKING_DAYS", "10")
    ),
    "ARBITRATION_DECISION_DAYS": 45,
    "ARBITRATION_EXTENSION_DAYS": 15,
    "ARBITRATION_LIMITATION_YEARS": 1,
    "LIMITATION_WARNING_DAYS": int(os.environ.get("CASEWORK_LIMITATION_WARNING_DAYS", "30")),
}

# Live notifications (the notifications app).
NOTIFICATIONS = {
    # Days a notification is kept (`manage.py prune_notifications`); a client that reconnects
    # with an older id is told to resync.
    "KEEP_DAYS": int(os.environ.get("NOTIFICATIONS_KEEP_DAYS", "90")),
    # Missed notifications replayed on a reconnect; with more, the client resyncs instead.
    "REPLAY_LIMIT": int(os.environ.get("NOTIFICATIONS_REPLAY_LIMIT", "100")),
    # How long a request waits for the channel layer before it logs the failure and goes on.
    "SEND_TIMEOUT_SECONDS": float(os.environ.get("NOTIFICATIONS_SEND_TIMEOUT_SECONDS", "2")),
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
