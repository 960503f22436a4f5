# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
"""PEG settings: one module, read from the environment.

Nothing set → local development on SQLite in the project folder.
DATABASE_URL=postgres://postgres@127.0.0.1:5432/peg → PostgreSQL.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from peg.env import envbool, envheader, envint, envlist, envoptint, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)
_DEV_SECRET = "insecure-local-development-key-do-not-use-in-production"
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "sectors",
    "objectives",
    "reports",
    "evaluation",
    "relazione",
    "transparency",
    "ente",
    "cycle",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which answers /static/ itself: only pages and documents are marked private.
    "peg.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username/IP is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "peg.urls"

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
                "peg.context_processors.peg",
                "ente.context_processors.ente",
            ],
        },
    },
]

WSGI_APPLICATION = "peg.wsgi.application"

_database_url = envstr("DATABASE_URL", "")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0))}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    # Simultaneous saves wait for each other instead of failing with "database is locked": WAL lets
    # readers go on during a write, IMMEDIATE takes the write lock when a transaction begins (not
    # half-way, when SQLite could only give up), and the timeout is how long a writer waits.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": envint("SQLITE_TIMEOUT", 20),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))

LOGIN_URL = "login"
# After login, "Le mie attività" (activities/); the dashboard stays at "/".
LOGIN_REDIRECT_URL = "activities:my_tasks"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)

# Brute-force protection on the login (django-axes): after AXES_FAILURE_LIMIT failures for the
# same username from the same address, that pair is locked out for AXES_COOLOFF_HOURS; after
# PEG_LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, the address is
# (axes has one limit for all its parameters: peg.login_throttle gives the address its own).
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
PEG_LOGIN_ADDRESS_FAILURE_LIMIT = envint("PEG_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
if AXES_FAILURE_LIMIT <= 0 or PEG_LOGIN_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT must be positive and PEG_LOGIN_ADDRESS_FAILURE_LIMIT at least as large."
    )
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "peg.login_throttle.AddressAwareHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address (django-ipware). Unset: the connection's address (REMOTE_ADDR), right when
# nothing stands between browser and server. Behind a reverse proxy every client would share the
# proxy's address: set AXES_IPWARE_META_PRECEDENCE_ORDER=HTTP_X_FORWARDED_FOR,REMOTE_ADDR, and the
# right-most address of X-Forwarded-For (the one the proxy appended; those on its left may be forged
# by the client) is taken. Longer chains: AXES_IPWARE_PROXY_COUNT / AXES_IPWARE_PROXY_TRUSTED_IPS.
AXES_IPWARE_META_PRECEDENCE_ORDER = envlist("AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
AXES_IPWARE_PROXY_ORDER = envstr("AXES_IPWARE_PROXY_ORDER", "right-most")
if AXES_IPWARE_PROXY_ORDER not in {"left-most", "right-most"}:
    raise ImproperlyConfigured(f"AXES_IPWARE_PROXY_ORDER={AXES_IPWARE_PROXY_ORDER!r}: expected right-most, left-most.")
AXES_IPWARE_PROXY_COUNT = envoptint("AXES_IPWARE_PROXY_COUNT")
AXES_IPWARE_PROXY_TRUSTED_IPS = envlist("AXES_IPWARE_PROXY_TRUSTED_IPS", []) or None

# Attachments to phases: stored under MEDIA_ROOT, served only through a permission-checked view.
PEG_ATTACHMENT_MAX_BYTES = envint("PEG_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
if PEG_ATTACHMENT_MAX_BYTES <= 0:
    raise ImproperlyConfigured("PEG_ATTACHMENT_MAX_MB must be a positive number of megabytes.")
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# The municipality printed on cards and covers; configurable per installation.
PEG_ENTE_NAME = envstr("PEG_ENTE_NAME", "CITTÀ DI ALESSANDRIA")
PEG_PAGE_SIZE = envint("PEG_PAGE_SIZE", 25)
# Footer links every page carries (AgID's guidelines): the accessibility statement (empty: the
# built-in /accessibilita/ page), the address for accessibility feedback, the source code.
PEG_ACCESSIBILITY_URL = envstr("PEG_ACCESSIBILITY_URL", "")
PEG_FEEDBACK_EMAIL = envstr("PEG_FEEDBACK_EMAIL", "accessibilita@comune.alessandria.it")
PEG_SOURCE_URL = envstr("PEG_SOURCE_URL", "https://github.com/comune-di-alessandria/peg")
# The licence of the open data published in Amministrazione Trasparente (transparency/opendata.py).
PEG_OPEN_DATA_LICENSE = envstr("PEG_OPEN_DATA_LICENSE", "CC-BY-4.0")
# Rendered PDF cards, reused until their objective changes (keyed on their content).
PEG_PDF_CACHE_DIR = Path(envstr("PEG_PDF_CACHE_DIR", str(BASE_DIR / "var" / "pdf-cache")))

# Long documents (jobs/: the whole PEG, a unit's cards) are prepared as jobs with a progress bar.
# CELERY_BROKER_URL set (e.g. redis://127.0.0.1:6379/0): they are queued for the Celery workers
# (`make worker`, on one machine or several sharing the database and MEDIA_ROOT). Unset, the
# `make run` default: they run in-process, in the request that asks for them.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "").strip()
if CELERY_BROKER_URL and "://" not in CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r}: expected a broker URL, e.g. redis://127.0.0.1:6379/0."
    )
# The jobs keep their state in the database: a result backend is not needed, only allowed.
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND", "").strip() or None
CELERY_TASK_IGNORE_RESULT = True
# A job is acknowledged when it is finished, so a worker lost half-way hands it to another one;
# each worker takes one job at a time, leaving the next to whichever worker is free first.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# HTTPS only when DEBUG is off (`manage.py check --deploy` is clean with these defaults). `make run`
# serves plain http on 127.0.0.1 and turns them off. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto: https' (the proxy must set or strip that header).
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = envheader("SECURE_PROXY_SSL_HEADER")

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only; no
# inline script or style (the templates keep theirs in static/js and static/css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Limits on attachments, besides PEG_ATTACHMENT_MAX_MB per file: files per upload (one request)
# and, per phase, files and megabytes in all. The request parser itself refuses a request with
# more files than one upload may carry (an Italian 400 page), before anything is stored.
PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD = envint("PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD", 5)
PEG_ATTACHMENT_MAX_FILES_PER_PHASE = envint("PEG_ATTACHMENT_MAX_FILES_PER_PHASE", 20)
PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE = envint("PEG_ATTACHMENT_MAX_TOTAL_MB_PER_PHASE", 50) * 1024 * 1024
for _name, _value in [
    ("PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD", PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD),
    ("PEG_ATTACHMENT_MAX_FILES_PER_PHASE", PEG_ATTACHMENT_MAX_FILES_PER_PHASE),
    ("PEG_ATTACHMENT_MAX_TOTAL_MB_PER_PHASE", PEG_ATTACHMENT_MAX_TOTAL_BYTES_PER_PHASE),
]:
    if _value <= 0:
        raise ImproperlyConfigured(f"{_name} must be a positive whole number.")
DATA_UPLOAD_MAX_NUMBER_FILES = PEG_ATTACHMENT_MAX_FILES_PER_UPLOAD

# "Le mie attività" and the e-mail reminders (activities/, `manage.py send_reminders`). E-mail goes
# to the console unless EMAIL_HOST (SMTP) or EMAIL_BACKEND says otherwise; PEG_SITE_URL makes the
# e-mails' links absolute (the command has no request to take the host from).
INSTALLED_APPS += ["activities"]
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "PEG <peg@localhost>")
PEG_SITE_URL = envstr("PEG_SITE_URL", "http://localhost:8000").rstrip("/")
if not PEG_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PEG_SITE_URL={PEG_SITE_URL!r} must start with http:// or https://.")
