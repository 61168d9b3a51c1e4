"""Settings shared by every environment; dev/test/prod override what differs."""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The audit log's hash-chain key (accounts/audit_chain.py); SECRET_KEY when unset. Never change it.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "accounts",
    "bulletins",
    "submissions",
    "wenming.admin_site.WenmingAdminConfig",  # django.contrib.admin, the app list kept per user's rights
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ckeditor",
    "reversion",
    "django_tasks",
    "wenming.tasks_admin.TasksConfig",
    "periodic",
    "accounts.axes_config.AxesConfig",
]

MIDDLEWARE = [
    # Permissions-Policy and Cross-Origin-Resource-Policy on every response, health checks included.
    "wenming.middleware.SecurityHeadersMiddleware",
    # /healthz and /readyz for load balancers: before the HTTPS redirect, the host check and the session.
    "wenming.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public reads from DATABASE_REPLICA_URL when it is set; before the page cache, which reads the generation.
    "wenming.replica.ReadReplicaMiddleware",
    # Anonymous public pages straight from the cache; everything below is skipped on a hit.
    "bulletins.public_cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.AdminContentSecurityPolicyMiddleware",
    # Django's SessionMiddleware, writing the idle expiry at most once a minute (accounts/sessions.py).
    "accounts.sessions.IdleTimeoutSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the lockout flag the login view's authenticate() set.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wenming.urls"
WSGI_APPLICATION = "wenming.wsgi.application"

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
                "bulletins.context_processors.site_settings",
                "bulletins.context_processors.public_navigation",
            ],
            "libraries": {"admin_sidebar": "wenming.admin_sidebar"},
        },
    },
]

# DATABASE_URL selects PostgreSQL (postgres://user@host:port/name); unset means SQLite.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
# DATABASE_REPLICA_URL: a streaming replica of the primary for anonymous public reads
# (wenming/replica.py); writes, the admin and signed-in users always use the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["wenming.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Password policy (等保 2.0): length, character classes, similarity, common words, history.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]
PASSWORD_EXPIRY_DAYS = int(os.environ.get("PASSWORD_EXPIRY_DAYS", "90"))

# Sessions end after 30 idle minutes: requests push the expiry forward on the server, rewriting the
# session at most once every SESSION_REFRESH_SECONDS (so a session may end up to that much sooner).
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The client address is REMOTE_ADDR unless the operator names the header their own reverse
# proxy sets (e.g. HTTP_X_REAL_IP behind nginx); X-Forwarded-For from clients is never trusted.
WENMING_CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")

# Login-failure handling: 5 failures for one username from one address lock that pair for
# 30 minutes; WENMING_IP_FAILURE_LIMIT failures from one address (any usernames) lock the address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
WENMING_IP_FAILURE_LIMIT = int(os.environ.get("IP_FAILURE_LIMIT", "20"))
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent on every response by wenming.middleware: no page may use these browser features, and no
# other site may embed our pages, images or files.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Content-Security-Policy: strict everywhere; accounts.middleware relaxes it under /admin/ only,
# where CKEditor 4 and Django's admin need inline scripts and styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "frame-src": ["'self'"],
    # As X_FRAME_OPTIONS = "DENY": the admin frames none of its own pages (CKEditor's editing
    # area is an about:blank frame, which neither header governs).
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
}

LANGUAGE_CODE = "zh-hans"
# Chinese for third-party apps that ship none (django-axes).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Chinese for the few admin strings Django leaves in English (locale/zh_Hans/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
def media_storage_from_environment(environ):
    """The STORAGES["default"] entry the MEDIA_S3_* environment variables ask for."""
    if not environ.get("MEDIA_S3_BUCKET"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": environ["MEDIA_S3_BUCKET"],
        "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("MEDIA_S3_REGION") or None,
        "access_key": environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": environ.get("MEDIA_S3_ADDRESSING_STYLE") or None,
        "location": environ.get("MEDIA_S3_PREFIX", ""),
        "default_acl": None,  # private objects; the bucket's own policy applies
        "file_overwrite": False,
        "querystring_auth": False,
    }
    return {"BACKEND": "wenming.storage.MediaObjectStorage", "OPTIONS": options}


# Uploaded media: MEDIA_ROOT on this server, or S3-compatible object storage shared by several
# servers when MEDIA_S3_BUCKET is set (wenming/storage.py, docs/deploy.md).
STORAGES = {
    "default": media_storage_from_environment(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The canonical address of the site, e.g. https://wenming.example.gov.cn: links in mails and feeds.
SITE_URL = os.environ.get("SITE_URL", "")

# The task queue (wenming/tasks.py) lives in the project's own database; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wenming@localhost")

# CKEditor 4 is past its end of life: it is loaded on admin pages only, and every body
# it produces is sanitised on the server (bulletins/sanitize.py) before it is stored.
# ckeditor.W001 warns that CKEditor 4 is unsupported. It is silenced on purpose: the editor is
# only ever loaded on admin pages for signed-in staff, and nh3 sanitises every body on the
# server; see the README section "为什么 CKEditor 4 仍可安全使用" and docs/deploy.md.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]

CKEDITOR_BASEPATH = "/static/ckeditor/ckeditor/"
# Each entry body's editor starts when it is focused or scrolled into view (bulletins/editors.py);
# LAZY_ENTRY_EDITORS=0 starts them all on load, as before (bench/editor.py measures both).
LAZY_ENTRY_EDITORS = os.environ.get("LAZY_ENTRY_EDITORS", "1") != "0"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "height": 260,
        "width": "100%",
        "versionCheck": False,
        "removePlugins": "exportpdf,uploadimage",  # uploads go through the image dialog, which asks for alt text
        "toolbar": "Entry",
        "toolbar_Entry": [
            ["Bold", "Italic", "Underline", "Strike", "Subscript", "Superscript"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table"],
            ["Format", "RemoveFormat"],
            ["Undo", "Redo"],
        ],
        "format_tags": "p;h3;h4",
        "allowedContent": False,
        # Images: one validated upload path (bulletins/images.py); the browser lists only my uploads.
        "customConfig": "/static/bulletins/admin/ckeditor-config.js",
        "filebrowserUploadUrl": "/admin/bulletins/entryimage/upload/",
        "filebrowserImageUploadUrl": "/admin/bulletins/entryimage/upload/",
        "filebrowserBrowseUrl": "/admin/bulletins/entryimage/browse/",
        "filebrowserImageBrowseUrl": "/admin/bulletins/entryimage/browse/",
        "filebrowserUploadMethod": "xhr",
        "image_previewText": " ",
    }
}

# Uploaded images (bulletins/images.py): bytes per file, and pixels (width × height) checked from
# the header before decoding, far below Pillow's decompression-bomb threshold (~179 megapixels).
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 12_000_000  # decoded at most; a larger JPEG is decoded at half size (bulletins/images.py)

# Periodic jobs (periodic/jobs.py), run once per cluster by `manage.py run_periodic_jobs` on any
# number of servers. Audit records are pruned only when AUDIT_RETENTION_DAYS (≥ 180) is set.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "0"))
AUDIT_PRUNE_EVERY_HOURS = float(os.environ.get("AUDIT_PRUNE_EVERY_HOURS", "24"))
INTEGRITY_CHECK_EVERY_HOURS = float(os.environ.get("INTEGRITY_CHECK_EVERY_HOURS", "24"))
SNAPSHOT_CHECK_EVERY_HOURS = float(os.environ.get("SNAPSHOT_CHECK_EVERY_HOURS", "24"))
RECYCLE_BIN_PURGE_EVERY_HOURS = float(os.environ.get("RECYCLE_BIN_PURGE_EVERY_HOURS", "24"))
# The audit chain's daily digest (accounts/audit_digest.py), outside the database; empty: none.
AUDIT_DIGEST_DIR = os.environ.get("AUDIT_DIGEST_DIR", str(BASE_DIR / "var" / "audit-digests"))
AUDIT_DIGEST_EVERY_HOURS = float(os.environ.get("AUDIT_DIGEST_EVERY_HOURS", "24"))

# On PostgreSQL each process keeps the public pages' numbers in memory between the database's change
# notifications (bulletins/kept_numbers.py). PAGE_NUMBERS_KEPT=0 reads them on every request instead,
# with a plain (not prepared) statement: behind a PgBouncer in transaction pooling mode, which passes
# neither LISTEN nor a PREPAREd statement on.
PAGE_NUMBERS_KEPT = os.environ.get("PAGE_NUMBERS_KEPT", "1") != "0"

# False renders every public page afresh (the benchmark's uncached phase, bench/run.py); set here so
# that reading it on every request is a plain attribute, not a miss.
PUBLIC_PAGE_CACHE = True
