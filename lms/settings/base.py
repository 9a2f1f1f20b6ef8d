"""Settings shared by every environment.

Every knob is read from the environment with a safe default, so that a newcomer with nothing set
gets the embedded default: SQLite under ``var/``, Celery tasks run eagerly, e-mail on the console,
a file-based cache. Production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CACHE_URL`` and the
rest (see README, "Configuration").
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from lms.cache import cache_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# --- Core -------------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
SITE_ID = 1

INSTALLED_APPS = [
    "lms",
    "courses",
    "certificates",
    "cohorts",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.PasserelleUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "rules.apps.AutodiscoverRulesConfig",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "csp.context_processors.nonce",
                "lms.context_processors.navigation",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for a concurrent writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A real, shared cache backs login rate limits. Redis in production; a file cache under var/
# on the embedded default (shared by every process, unlike the local-memory cache).
CACHES = {
    "default": cache_config(env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")),
}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker (embedded default) tasks run in-process, so `make run` needs no Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=1000)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000
)  # KiB
# Redis redelivers a task that no worker acknowledged within this time (a worker killed
# mid-task, or a message fetched and lost). Above the longest task (an issue: two render attempts
# of PDF_RENDER_TIMEOUT and an e-mail) and above the longest retry countdown (600 s: Redis counts
# a retry waiting in a worker as unacknowledged), well below an hour so that a lost issue comes
# back within minutes. README, "Decisions".
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# The periodic tasks (`celery -A lms beat`): each is safe to run again or late.
CELERY_BEAT_SCHEDULE = {
    # Certificates due but missing (lost task, broker down), unfinished PDFs, e-mails still owed.
    "certificates-sweep": {
        "task": "certificates.sweep",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "certificates-expiry-reminders": {
        "task": "certificates.expiry_reminders",
        "schedule": timedelta(days=1),
        "options": {"expires": 12 * 3600},
    },
    # Cohort sessions taking place tomorrow (in each cohort's zone): each reminded once.
    "cohorts-session-reminders": {
        "task": "cohorts.session_reminders",
        "schedule": timedelta(hours=1),
        "options": {"expires": 50 * 60},
    },
    # Attendance-only cohorts that ended: members completed, attestations owed queued.
    "cohorts-completion-sweep": {
        "task": "cohorts.completion_sweep",
        "schedule": timedelta(hours=1),
        "options": {"expires": 50 * 60},
    },
}

# --- E-mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Passerelle <no-reply@passerelle.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:my_learning"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "lms.forms.SignupForm"
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Passerelle] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Failed logins: 5 per 5 minutes per account *from one client IP* (lms.adapters makes the key
# account + IP, so nobody elsewhere can lock a real user out), and 50 an hour per IP alone (an
# office or a union shares one address). A password reset works meanwhile and logs the person in.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,50/h/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# The client IP behind a reverse proxy (rate limits): a header only our proxy sets, or the number
# of our proxies appending to X-Forwarded-For. Neither by default: REMOTE_ADDR, the socket peer.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Passerelle"
PRIVACY_POLICY_VERSION = env.str("PRIVACY_POLICY_VERSION", default="2026-11")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
LANGUAGES_BIDI = ["ar"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Our own date and number formats where Django's differ from how the programme's countries
# write them (Arabic: "1 ديسمبر 2026", 24-hour times); other settings fall back to Django's.
FORMAT_MODULE_PATH = ["lms.formats"]
USE_TZ = True
COUNTRIES_FIRST = ["MA", "TN", "MR", "LY", "SN", "ML", "BJ", "CM", "FR", "ES", "IT", "BE", "DE"]
COUNTRIES_FIRST_BREAK = "──────────"

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed file names, served with a one-year cache lifetime by WhiteNoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000
# Files only ever handed out by an access-checked view (bulk certificate archives): outside
# MEDIA_ROOT, so no media route or web server serves them.
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private")))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
}

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Passerelle"
WAGTAILADMIN_BASE_URL = SITE_URL
# Every login goes through allauth, which rate-limits it and asks for the second factor. The
# admin's login URL is ours (lms.views.admin_login_redirect): it sends anonymous visitors to
# allauth and shows a 403 page to signed-in users without admin access (no redirect loop).
WAGTAILADMIN_LOGIN_URL = "/cms/login/"
# Password resets and e-mail changes go through allauth too: rate-limited, and a new address is
# confirmed by a link before it is used (Wagtail's own forms do neither).
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "pptx", "odp", "txt", "mp3", "ogg"]
# Documents only through Wagtail's view, which applies collection privacy (never a media URL).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis) and written through to the database, so a signed-in
# page costs no session query while a cache flush or outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: no inline script runs without the per-request nonce. The two admin
# interfaces are Wagtail's and Django's own code and are excluded (see README, "Security").
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/cms/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)  # local media; off behind a web server or S3

# --- Certificates -----------------------------------------------------------------------------
# The keys that sign Open Badges credentials (RSA for RS256, Ed25519 for EdDSA; all of them are
# published, the first of the algorithm's type signs): from the environment, or a file generated
# by `manage.py certificate_issuer_key` (never committed).
CERTIFICATE_ISSUER_KEY = env.str("CERTIFICATE_ISSUER_KEY", default="")
CERTIFICATE_ISSUER_KEY_FILE = Path(
    env.str("CERTIFICATE_ISSUER_KEY_FILE", default=str(VAR_DIR / "issuer_key.pem"))
)
# RS256 is what every Open Badges 3.0 verifier must support; "EdDSA" is the alternative.
CERTIFICATE_JWT_ALG = env.str("CERTIFICATE_JWT_ALG", default="RS256")
# The signed status list is valid this long and re-signed at the latest after REFRESH seconds.
CERTIFICATE_STATUS_LIST_VALIDITY = env.int("CERTIFICATE_STATUS_LIST_VALIDITY", default=86400)
CERTIFICATE_STATUS_LIST_REFRESH = env.int("CERTIFICATE_STATUS_LIST_REFRESH", default=3600)
# Public verification lookups (page, credential, form) per client IP per minute.
CERTIFICATE_VERIFY_RATE_LIMIT = env.int("CERTIFICATE_VERIFY_RATE_LIMIT", default=30)
CERTIFICATE_ISSUER_NAME = env.str("CERTIFICATE_ISSUER_NAME", default="Passerelle")
# Generate a key file on first use when none is configured: on for development and tests only.
CERTIFICATE_ISSUER_KEY_AUTOGENERATE = env.bool("CERTIFICATE_ISSUER_KEY_AUTOGENERATE", default=DEBUG)

# --- PDF documents ----------------------------------------------------------------------------
# PDFs are rendered by a WeasyPrint-only child process of each web or worker process
# (lms/pdf/client.py): killed after this many seconds on one document, replaced after so many
# documents or when its peak memory passes the limit, gone after so long without work. The
# CERTIFICATE_RENDER* names of the previous release are read when the PDF_* ones are not set.
PDF_RENDER_TIMEOUT = env.float(
    "PDF_RENDER_TIMEOUT", default=env.float("CERTIFICATE_RENDER_TIMEOUT", default=60)
)
PDF_RENDERER_MAX_RENDERS = env.int(
    "PDF_RENDERER_MAX_RENDERS", default=env.int("CERTIFICATE_RENDERER_MAX_RENDERS", default=2000)
)
PDF_RENDERER_MAX_MEMORY_MB = env.int(
    "PDF_RENDERER_MAX_MEMORY_MB",
    default=env.int("CERTIFICATE_RENDERER_MAX_MEMORY_MB", default=200),
)
PDF_RENDERER_IDLE_SECONDS = env.int(
    "PDF_RENDERER_IDLE_SECONDS", default=env.int("CERTIFICATE_RENDERER_IDLE_SECONDS", default=600)
)
