"""Settings of the test run: the site's own, plus a content app that exists only in the tests.

``tests/notices`` proves the content-app seam: installed here, with no line of ``iomsite``
naming it, it gets everything a content app gets (``tests/notices/test_seam.py``).
"""

from iomsite.settings import *  # noqa: F403
from iomsite.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.notices"]
