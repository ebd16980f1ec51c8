"""The ``make_*`` helpers, app by app: ``tests/<app>/factories.py``.

This module keeps the old imports working (``from tests.factories import make_page``)
and gathers, from every content app's factories, ``EXAMPLES``: for each declared content
model, a function making one object whose visibility is the given publishing state
(``status``, ``publish_at``, ``unpublish_at``). The seam-wide tests (publishing truth
table, redirects) run over them, so a new content type needs its examples to pass.
"""

from importlib import import_module

from iomsite.content import content_apps
from tests.iomsite.factories import (  # noqa: F401
    live,
    make_document,
    make_image,
    make_page,
    pdf_bytes,
    png_bytes,
    unique,
)


def examples():
    """``{model: make(**publishing state)}`` from each content app's ``tests/<app>/factories.py``."""
    found = {}
    for app in content_apps():
        module = import_module(f"tests.{app.label}.factories")
        found.update(getattr(module, "EXAMPLES", {}))
    return found
