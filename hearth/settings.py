"""Hearth settings, read from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

from hearth.env import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    is_production,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

PRODUCTION = is_production()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    from hearth.env import ImproperlyConfiguredError

    raise ImproperlyConfiguredError("DEBUG must be false when HEARTH_ENV=production")

# A development key is only acceptable outside production; env_str fails loudly there.
SECRET_KEY = env_str(
    "SECRET_KEY",
    "insecure-development-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz",
    required_in_production=True,
)
# SSNs are encrypted at rest with this key (docs/adr/0007-ssn-encryption.md); outside production a key is made
# once per data folder. Retired keys still decrypt during a rotation (hearth fieldkey rotate). Each key may instead
# be read from a file (a mounted secret): HEARTH_FIELD_KEY_FILE, HEARTH_FIELD_KEYS_RETIRED_FILE (one key a line).
HEARTH_FIELD_KEY = env_str("HEARTH_FIELD_KEY", "")
HEARTH_FIELD_KEY_FILE = env_str("HEARTH_FIELD_KEY_FILE", "")
HEARTH_FIELD_KEYS_RETIRED = env_list("HEARTH_FIELD_KEYS_RETIRED", [])
HEARTH_FIELD_KEYS_RETIRED_FILE = env_str("HEARTH_FIELD_KEYS_RETIRED_FILE", "")
# The blind index's own key (keyed hashes for search and duplicate matching; docs/adr/0015), from the
# environment or a file, like the field key.
HEARTH_BLIND_INDEX_KEY = env_str("HEARTH_BLIND_INDEX_KEY", "")
HEARTH_BLIND_INDEX_KEY_FILE = env_str("HEARTH_BLIND_INDEX_KEY_FILE", "")
if PRODUCTION:
    from hearth.env import ImproperlyConfiguredError

    for _key in ("HEARTH_FIELD_KEY", "HEARTH_BLIND_INDEX_KEY"):
        if not (globals()[_key] or globals()[f"{_key}_FILE"]):
            raise ImproperlyConfiguredError(f"{_key} (or {_key}_FILE) must be set when HEARTH_ENV=production")
# Unusual-access alerts for the HMIS Lead (hearth.audit.alerts): distinct clients one account may open within
# an hour, and the clients an export may carry, before an alert is raised.
HEARTH_ALERT_CLIENTS_PER_HOUR = env_int("HEARTH_ALERT_CLIENTS_PER_HOUR", 50)
HEARTH_ALERT_EXPORT_CLIENTS = env_int("HEARTH_ALERT_EXPORT_CLIENTS", 100)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"], required_in_production=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = env_str(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'hearth.sqlite3'}",
    required_in_production=True,
)
DATABASES = {"default": parse_database_url(DATABASE_URL).as_django()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"] != ":memory:":
    # A fresh machine has no data folder yet; SQLite cannot create its file without it.
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "hearth.crypto",
    "hearth.hmis",
    "hearth.search",
    "hearth.access",
    "hearth.audit",
    "hearth.exchange",
    "hearth.synthetic",
    "hearth.web",
    "hearth.collection",
    "hearth.core",
    "hearth.jobs",
    "hearth.casework",
    "hearth.signin",
    "hearth.structure",
    "hearth.reports",
    "hearth.consent",
    "hearth.rights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hearth.signin.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hearth.signin.middleware.SessionGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hearth.web.middleware.AgreementMiddleware",
    "hearth.web.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "hearth.urls"
WSGI_APPLICATION = "hearth.wsgi.application"

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
                "hearth.web.context_processors.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # A local list of breached passwords (no internet needed): docs/adr/0014-sign-in-and-sessions.md.
    {"NAME": "hearth.signin.passwords.BreachedPasswordValidator"},
]
# Argon2id first (OWASP's recommendation); older hashes still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "en-us"
# HMIS CSV date-times carry no zone: they are read and written in the CoC's local time.
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# A shared computer in a drop-in centre: sessions end with the browser, after 30 idle minutes (every request
# renews the session), after an absolute lifetime however active, and the oldest ends when an account opens more
# than its limit (hearth.signin, docs/adr/0014-sign-in-and-sessions.md).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("HEARTH_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HEARTH_SESSION_MAX_MINUTES = env_int("HEARTH_SESSION_MAX_HOURS", 12) * 60
HEARTH_SESSION_MAX_CONCURRENT = env_int("HEARTH_SESSION_MAX_CONCURRENT", 3)
# Failed sign-ins: an account is locked after this many in a row (for the minutes given; 0: until an
# administrator unlocks it), an address refused after this many within the window.
HEARTH_LOCKOUT_FAILURES = env_int("HEARTH_LOCKOUT_FAILURES", 5)
HEARTH_LOCKOUT_MINUTES = env_int("HEARTH_LOCKOUT_MINUTES", 30)
HEARTH_SIGNIN_IP_FAILURES = env_int("HEARTH_SIGNIN_IP_FAILURES", 30)
HEARTH_SIGNIN_IP_WINDOW_MINUTES = env_int("HEARTH_SIGNIN_IP_WINDOW_MINUTES", 15)
# Accounts without a sign-in for this many days are disabled (hearth accounts disable-inactive; the worker
# runs it daily); 0: never.
HEARTH_INACTIVE_DAYS = env_int("HEARTH_INACTIVE_DAYS", 90)
# Closed session records are deleted after this many days (hearth accounts prune; the worker runs it hourly).
HEARTH_SESSION_RECORD_DAYS = env_int("HEARTH_SESSION_RECORD_DAYS", 180)
# SHA-1 hashes of breached passwords, kept locally: a sorted file (HIBP "HASH:COUNT" lines) or a folder of
# k-anonymity range files (00000.txt … FFFFF.txt); empty: only Django's list of common passwords.
HEARTH_BREACHED_PASSWORDS = env_str("HEARTH_BREACHED_PASSWORDS", "")
# WebAuthn's relying party id (the host name security keys are bound to); empty: the request's host.
HEARTH_WEBAUTHN_RP_ID = env_str("HEARTH_WEBAUTHN_RP_ID", "")
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
# Security headers (hearth.signin.headers adds the Content-Security-Policy and Permissions-Policy).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only, remembered by browsers for a year, in production (behind a TLS-terminating proxy).
SECURE_HSTS_SECONDS = env_int("HEARTH_HSTS_SECONDS", 365 * 24 * 60 * 60 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HEARTH_HSTS_INCLUDE_SUBDOMAINS", False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and overwrites any the client sent), Django learns
# that a request came over HTTPS: HSTS, secure redirects and WebAuthn's origin check depend on it
# (docs/adr/0014-sign-in-and-sessions.md). Never without such a proxy: a client could then claim HTTPS.
if env_bool("HEARTH_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Days a report run (its tables and the people behind every number) is kept before the worker deletes it; 0: kept
# until someone deletes it. A year and a month: last year's APR stays at hand while this year's is prepared.
HEARTH_REPORT_RUN_DAYS = env_int("HEARTH_REPORT_RUN_DAYS", 400)
# Where import reports and export files are written when no path is given.
HEARTH_WORK_DIR = DATA_DIR / "work"
# Rows per batch when streaming large HMIS CSV files (memory vs. throughput).
HEARTH_IMPORT_BATCH_ROWS = env_int("HEARTH_IMPORT_BATCH_ROWS", 500_000)
# On PostgreSQL, write each validated batch in a second thread while the next is checked (one transaction,
# rolled back if the export turns out to have errors).
HEARTH_IMPORT_PIPELINE = env_bool("HEARTH_IMPORT_PIPELINE", True)
# The largest HMIS CSV export the data-exchange page takes (larger ones: `hearth import` on the server).
HEARTH_UPLOAD_MAX_BYTES = env_int("HEARTH_UPLOAD_MAX_BYTES", 2 * 1024**3)
# Client documents (consent forms, IDs): where their bytes are kept, never under static files, and the
# largest accepted (docs/adr/0008-local-case-work-records.md).
HEARTH_FILES_DIR = Path(env_str("HEARTH_FILES_DIR", str(DATA_DIR / "files")))
HEARTH_DOCUMENT_MAX_BYTES = env_int("HEARTH_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Client rights and retention (docs/adr/0016-client-rights-and-retention.md): years without activity before the
# retention job de-identifies a client (HUD's 2004 standards: seven), the size in rows above which a client's
# record export is made by a background job, the hours that job's file is kept, and a TrueType font for PDFs
# (default: the system's DejaVu Sans).
HEARTH_RETENTION_YEARS = env_int("HEARTH_RETENTION_YEARS", 7)
HEARTH_CLIENT_RECORD_INLINE_ROWS = env_int("HEARTH_CLIENT_RECORD_INLINE_ROWS", 2000)
HEARTH_CLIENT_RECORD_HOURS = env_int("HEARTH_CLIENT_RECORD_HOURS", 24)
HEARTH_PDF_FONT = env_str("HEARTH_PDF_FONT", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fpdf2's font subsetting logs the glyphs a PDF uses at INFO: the letters of the names printed in it.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
