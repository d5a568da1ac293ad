"""The product settings as production runs them (``DEBUG`` off), plus the bench's bare view.

Only what a plain-HTTP loopback run needs differs: cookies not marked Secure and no HTTPS redirect
(the load generator speaks HTTP; neither changes the work a request does), and static files
collected without compression.
"""

import os

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from zhouqiao.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.pages_site.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Pages get the same hashed static URLs from the manifest; the bench does not fetch the files, so
# they are not compressed as well (which made collectstatic take minutes on a loaded machine).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
