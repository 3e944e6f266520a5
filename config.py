"""Configuration classes. Every setting comes from the environment with a safe default."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """Raised when a profile cannot start because a required setting is missing."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _normalise_pg_url(url: str) -> str:
    """Use the psycopg 3 driver whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    INSTANCE_DIR = Path(os.environ.get("ELEARN_INSTANCE_DIR", BASE_DIR / "instance"))
    SQLALCHEMY_DATABASE_URI = _normalise_pg_url(os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'elearn.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Admission control (elearn/core/admission.py): requests of one process running at once; None: no limit.
    MAX_CONCURRENT_REQUESTS: int | None = None
    ADMISSION_TIMEOUT = float(os.environ.get("ADMISSION_TIMEOUT", "20"))  # seconds a request waits, then 503
    REDIS_URL = os.environ.get("REDIS_URL", "")

    # Sessions and cookies
    SESSION_COOKIE_NAME = "elearn_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # How long an idle login lasts on the server before it must be renewed (seconds).
    AUTH_SESSION_IDLE_SECONDS = int(os.environ.get("AUTH_SESSION_IDLE_SECONDS", 60 * 60 * 12))
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session

    # Passwords: Argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1)
    PASSWORD_TIME_COST = 2
    PASSWORD_MEMORY_COST = 19 * 1024
    PASSWORD_PARALLELISM = 1
    PASSWORD_MIN_LENGTH = 8

    # Rate limits
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes")
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")  # per token (per address without one)

    # Internationalisation
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "elearn" / "translations")

    # Socket.IO
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE", "")
    # The Redis pub/sub channel: give each site sharing one Redis server its own.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "elearn-socketio")

    # Bulk work
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 256 * 1024 * 1024))
    RUN_JOBS_INLINE = False  # tests run background jobs synchronously

    # Uploaded files (elearn/core/uploads.py). Limit per kind of file in bytes, checked while the
    # upload streams; set UPLOAD_MAX_<KIND>_MB to change one. MAX_CONTENT_LENGTH caps the whole
    # request, so keep it above the largest of these.
    UPLOAD_LIMITS = {
        kind: int(os.environ.get(f"UPLOAD_MAX_{kind.upper()}_MB", mb)) * 1024 * 1024
        for kind, mb in {"document": 50, "office": 50, "image": 10, "video": 250, "archive": 100}.items()
    }
    IMAGE_MAX_WIDTH = int(os.environ.get("IMAGE_MAX_WIDTH", 1280))  # inline images are re-encoded to this
    IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))  # larger images are refused

    PER_PAGE = 25

    # Forums: how long an author may edit a post, and the per-person posting limit (pages and API share it).
    FORUM_EDIT_MINUTES = int(os.environ.get("FORUM_EDIT_MINUTES", 30))
    FORUM_POST_RATE_LIMIT = os.environ.get("FORUM_POST_RATE_LIMIT", "10 per minute;120 per hour")

    # E-mail: notifications are always in-app; they are mailed too when SMTP_HOST is set.
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", 25))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "elearn@localhost")
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (nginx: 1).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a clear message when the profile is incomplete."""


class DevelopmentConfig(Config):
    NAME = "development"
    DEBUG = False


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # tests/conftest.py points this at the database under test
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = True  # CSRF stays on in tests: the test client sends real tokens
    # Cheap hashing keeps the suite fast; production parameters are tested on their own.
    PASSWORD_TIME_COST = 1
    PASSWORD_MEMORY_COST = 1024
    RUN_JOBS_INLINE = True


class ProductionConfig(Config):
    NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        missing = [
            name
            for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")
            if not os.environ.get(name)
        ]
        if missing:
            raise ConfigError(
                "Production profile cannot start: set the environment variable(s) "
                + ", ".join(missing)
                + " (see docs/deploy.md)."
            )
        if not os.environ["DATABASE_URL"].startswith(("postgresql", "postgres")):
            raise ConfigError("Production profile needs DATABASE_URL to point at PostgreSQL.")

    @classmethod
    def load_environment(cls) -> None:
        cls.SECRET_KEY = os.environ["SECRET_KEY"]
        cls.SQLALCHEMY_DATABASE_URI = _normalise_pg_url(os.environ["DATABASE_URL"])
        pool_size = int(os.environ.get("DB_POOL_SIZE", "10"))
        max_overflow = int(os.environ.get("DB_MAX_OVERFLOW", "20"))
        cls.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": pool_size, "max_overflow": max_overflow}
        # as many requests at once as the pool has connections: the rest wait without holding one (0: no limit)
        cls.MAX_CONCURRENT_REQUESTS = int(os.environ.get("MAX_CONCURRENT_REQUESTS", str(pool_size + max_overflow))) or None
        cls.REDIS_URL = os.environ["REDIS_URL"]
        cls.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", cls.REDIS_URL)
        cls.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE", cls.REDIS_URL)


PROFILES = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("ELEARN_CONFIG", "development")
    try:
        profile = PROFILES[name]
    except KeyError:
        raise ConfigError(f"Unknown ELEARN_CONFIG {name!r}; use one of {', '.join(PROFILES)}.") from None
    profile.check()
    if profile is ProductionConfig:
        ProductionConfig.load_environment()
    return profile
