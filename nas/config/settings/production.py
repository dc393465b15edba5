"""Production settings: refuse to start with a demo secret key, DEBUG or demo mode."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from nas.config import env
from nas.config.settings.base import *  # noqa: F403
from nas.config.settings.base import DEBUG, DEMO_MODE, DEMO_SECRET_KEY_FILE

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production")
if DEMO_MODE:
    raise ImproperlyConfigured("NAS_DEMO must be off in production")

SECRET_KEY = env.string("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters")
if DEMO_SECRET_KEY_FILE.exists() and DEMO_SECRET_KEY_FILE.read_text().strip() == SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the demo key; generate a new one")

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
