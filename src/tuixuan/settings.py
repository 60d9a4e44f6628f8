"""Settings for tuixuan.

One settings module; everything that differs between a laptop, one provincial office and a national
deployment comes from the environment (``DATABASE_URL``, ``TUIXUAN_*``), never from code.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TUIXUAN_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("TUIXUAN_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("TUIXUAN_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = os.environ.get("TUIXUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's own widgets' Jinja2 templates, for FORM_RENDERER below
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks_db",
    "tuixuan.common",
    "tuixuan.campaigns",
    "tuixuan.units",
    "tuixuan.nominations",
    "tuixuan.documents",
    "ninja",  # only for its templates and the vendored Swagger UI under /static/ninja/
    "tuixuan.api",
    "tuixuan.review",
    "tuixuan.showcase",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversized or unparseable bodies before anything reads them (413/400/415).
    "tuixuan.common.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the visitor chose English in the footer (not from Accept-Language).
    "tuixuan.common.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A user's roles and a unit's deadline are read once per request (common/memo.py).
    "tuixuan.common.memo.RequestMemoMiddleware",
    "tuixuan.common.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account is locked out
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, a session's user read by a prepared statement (common/sessions.py).
    "tuixuan.common.sessions.ModelBackend",
]
# Django's database sessions, their row read with a prepared statement (common/sessions.py).
SESSION_ENGINE = "tuixuan.common.sessions"

ROOT_URLCONF = "tuixuan.urls"
WSGI_APPLICATION = "tuixuan.wsgi.application"

# The site's pages: Jinja2 (templating.py says why), in ``jinja2/`` here and in each app. Django's
# template language only for the admin's and the libraries' own pages, which are written in it.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "tuixuan.templating.environment",
            "context_processors": [
                "tuixuan.templating.csrf_once",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tuixuan.common.phrases.context",
                "tuixuan.common.frame.context",
                "tuixuan.units.notify.context",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# The fields' widgets through the same engines: ours (campaigns/kinds) and Django's in Jinja2.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


def _database(url: str) -> dict:
    """A database from its URL; SQLite gets WAL and IMMEDIATE transactions.

    IMMEDIATE makes every transaction take SQLite's write lock at BEGIN, so two submissions that
    race for the last quota place queue up instead of failing with "database is locked".
    Connections are kept for a minute on both databases: opening a SQLite file and running its
    PRAGMAs cost 8–12 % of a small page when done on every request (issue 18).
    """
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests use a real file beside the main one, never an in-memory database.
        config["TEST"] = {"NAME": str(Path(config["NAME"]).with_suffix(".test.sqlite3"))}
    elif os.environ.get("TUIXUAN_TEST_DATABASE"):
        # Lets two test runs share one PostgreSQL server without sharing a test database.
        config["TEST"] = {"NAME": os.environ["TUIXUAN_TEST_DATABASE"]}
    return config


DATABASES = {
    "default": _database(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tuixuan.sqlite3'}"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Processes that render forms while the export worker writes a package (one per core by default).
TUIXUAN_EXPORT_WORKERS = int(os.environ.get("TUIXUAN_EXPORT_WORKERS", os.cpu_count() or 1))
# A running export reports progress at least this often; one silent for longer is given up as
# failed (its worker died) and can be started again.
TUIXUAN_EXPORT_LEASE_SECONDS = int(os.environ.get("TUIXUAN_EXPORT_LEASE_SECONDS", "180"))

PASSWORD_HASHERS = [
    "tuixuan.common.hashers.OwaspArgon2PasswordHasher",  # argon2id, 19 MiB, t=2, p=1 (why: there)
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # Django's parameters: re-hashed at login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before argon2
]

# Login throttling (django-axes, see common/lockout.py): 5 failures from one address lock that
# address for 15 minutes; a username is locked only after 50 failures from everywhere, so nobody
# can lock a real user out. The answer is a Chinese page with status 429. Behind a reverse proxy,
# list its addresses in TUIXUAN_TRUSTED_PROXIES so the client's own address is used.
AXES_FAILURE_LIMIT = 5
TUIXUAN_USERNAME_FAILURE_LIMIT = 50
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_HANDLER = "tuixuan.common.lockout.AddressFirstHandler"
AXES_CLIENT_IP_CALLABLE = "tuixuan.common.lockout.client_ip"
TUIXUAN_TRUSTED_PROXIES = [
    address.strip()
    for address in os.environ.get("TUIXUAN_TRUSTED_PROXIES", "").split(",")
    if address.strip()
]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content Security Policy: scripts and everything else only from this site, never inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # the API docs page (Swagger UI) sets styles
    "img-src": [CSP.SELF, "data:", "blob:"],  # blob: for the photo previews before upload
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Production (TUIXUAN_DEBUG=0): HTTPS only, behind a reverse proxy that says so. `make run` runs
# with DEBUG off too (the Chinese 404/403/500 pages, as a deployment shows them; whitenoise
# serves the static files either way) but over plain HTTP on 127.0.0.1: TUIXUAN_HTTPS=0.
TUIXUAN_HTTPS = os.environ.get("TUIXUAN_HTTPS", "0" if DEBUG else "1") == "1"
if TUIXUAN_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("TUIXUAN_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the footer's choice outlives the browser session
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
WHITENOISE_USE_FINDERS = True  # serve app static files even before collectstatic has run
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"


def _s3_storage() -> dict | None:
    """The S3-compatible bucket (MinIO, 阿里云 OSS, 腾讯云 COS, AWS) named by TUIXUAN_S3_*, if any.

    Every file is private: no public ACL, and any URL the storage hands out is signed and expires
    within five minutes (the app streams private files itself after its permission check). An upload
    never replaces another of the same name (``file_overwrite`` off: the storage picks a new name).
    Path-style addressing suits MinIO and loopback servers; 阿里云 OSS wants
    TUIXUAN_S3_ADDRESSING_STYLE=virtual. Short connect timeouts and few retries let /healthz answer
    within seconds when the bucket is down. The backend (common/storage.py) is django-storages'
    S3 storage with a streaming read added.
    """
    bucket = os.environ.get("TUIXUAN_S3_BUCKET", "")
    if not bucket:
        return None
    from botocore.config import Config  # noqa: PLC0415 — only deployments with a bucket need it

    return {
        "BACKEND": "tuixuan.common.storage.BucketStorage",
        "OPTIONS": {
            "endpoint_url": os.environ.get("TUIXUAN_S3_ENDPOINT_URL") or None,
            "bucket_name": bucket,
            "region_name": os.environ.get("TUIXUAN_S3_REGION", "us-east-1"),
            "access_key": os.environ.get("TUIXUAN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("TUIXUAN_S3_SECRET_KEY") or None,
            "addressing_style": os.environ.get("TUIXUAN_S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "max_memory_size": 8 * 1024 * 1024,  # a file opened whole spills to disk past this
            "client_config": Config(
                connect_timeout=3,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
            ),
        },
    }


# Stored files (photos, form copies, PDFs, exports) go to "default": the local disk under
# TUIXUAN_VAR_DIR/media unless TUIXUAN_STORAGE=s3. Both places are also named "local" and, when a
# bucket is configured, "s3", so `manage.py move_media` can copy from one to the other.
TUIXUAN_STORAGE = os.environ.get("TUIXUAN_STORAGE", "local")
STORAGES = {
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if _s3 := _s3_storage():
    STORAGES["s3"] = _s3
if TUIXUAN_STORAGE not in {"local", "s3"} & STORAGES.keys():
    raise ImproperlyConfigured(
        f"TUIXUAN_STORAGE={TUIXUAN_STORAGE!r}: use 'local', or 's3' with TUIXUAN_S3_BUCKET set."
    )
STORAGES["default"] = STORAGES[TUIXUAN_STORAGE]

# The cache is shared by every process of a deployment, so a take-down or a publication is seen
# by every worker at once: Redis when TUIXUAN_REDIS_URL is set (several machines), otherwise a
# table in the database (one machine, no extra server; `manage.py createcachetable` makes it), each
# entry written in one statement and, on PostgreSQL, UNLOGGED (common/dbcache.py).
if os.environ.get("TUIXUAN_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["TUIXUAN_REDIS_URL"],
            "KEY_PREFIX": os.environ.get("TUIXUAN_CACHE_PREFIX", "tuixuan"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "tuixuan.common.dbcache.DatabaseCache",
            "LOCATION": "tuixuan_cache",
        }
    }

# Mail to units (return, acceptance, shortlist, result): the console unless an SMTP host is set.
if os.environ.get("TUIXUAN_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["TUIXUAN_EMAIL_HOST"],
                "port": int(os.environ.get("TUIXUAN_EMAIL_PORT", "25")),
                "username": os.environ.get("TUIXUAN_EMAIL_USER", ""),
                "password": os.environ.get("TUIXUAN_EMAIL_PASSWORD", ""),
                "use_tls": os.environ.get("TUIXUAN_EMAIL_TLS", "0") == "1",
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("TUIXUAN_FROM_EMAIL", "tuixuan@localhost")
TUIXUAN_SITE_URL = os.environ.get("TUIXUAN_SITE_URL", "http://127.0.0.1:8000")

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "nominations:home"  # /my/, the 工作台 ("/" is the public landing page)
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Uploads go straight to a temporary file on disk, never whole into memory (photos are 1–3 MB
# each, and hundreds of units upload in the last hours before a deadline).
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # the form's text, not its files
# A request's body may be at most the largest upload any campaign allows (plus the form's text);
# larger ones are refused from their Content-Length, before they are read. The reverse proxy's
# limit (nginx client_max_body_size) should match: see docs/deploy.md.
TUIXUAN_LARGEST_UPLOAD = "tuixuan.campaigns.models.largest_upload"
CSRF_FAILURE_VIEW = "tuixuan.common.views.csrf_failure"
