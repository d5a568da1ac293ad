"""The test suite's settings: the development profile, named explicitly since ``DEBUG`` defaults to
off (no HTTPS redirect or secure-only cookies on the test server, static files from the finders).
pytest-django still runs each test with ``settings.DEBUG = False``, as production does."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")

from zhouqiao.settings import *  # noqa: E402, F403

# Uploaded and generated files of one test process in a folder of its own (the suite runs in two
# processes).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhouqiao-test-media-"))  # noqa: F405
