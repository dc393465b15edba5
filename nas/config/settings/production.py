"""Production settings: refuse to start with a demo secret key, DEBUG or demo mode."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from nas.config import env
from nas.config.settings.base import *  # noqa: F403
from nas.config.settings.base import (
    DEBUG,
    DEMO_ENCRYPTION_KEY_FILE,
    DEMO_MODE,
    DEMO_SECRET_KEY_FILE,
    NAS_ENCRYPTION_KEYS,
    NAS_SEARCH_KEY,
)

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production")
if DEMO_MODE:
    raise ImproperlyConfigured("NAS_DEMO must be off in production")

SECRET_KEY = env.string("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters")
if DEMO_SECRET_KEY_FILE.exists() and DEMO_SECRET_KEY_FILE.read_text().strip() == SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the demo key; generate a new one")

# Encryption at rest: real keys, never the per-machine development key (nas/common/crypto.py).
if not NAS_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("NAS_ENCRYPTION_KEYS must be set in production")
for _key in NAS_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "NAS_ENCRYPTION_KEYS must be Fernet keys (Fernet.generate_key())"
        ) from None
if DEMO_ENCRYPTION_KEY_FILE.exists() and (
    DEMO_ENCRYPTION_KEY_FILE.read_text().strip() in NAS_ENCRYPTION_KEYS
):
    raise ImproperlyConfigured("NAS_ENCRYPTION_KEYS holds the demo key; generate a new one")
if not NAS_SEARCH_KEY or len(NAS_SEARCH_KEY) < 32:
    raise ImproperlyConfigured("NAS_SEARCH_KEY must be set in production, at least 32 characters")

ALLOWED_HOSTS = env.csv_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the production host(s)")

SECURE_SSL_REDIRECT = env.boolean("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.integer("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Notifications link to the application: an address of this machine would lead nowhere.
NAS_SITE_URL = env.string("NAS_SITE_URL", "")
if not NAS_SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "NAS_SITE_URL must be the application's https:// address (notifications link to it)"
    )
