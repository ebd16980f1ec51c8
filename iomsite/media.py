"""Media library rules outside the models: files that are no longer used leave storage.

A replaced original, its renditions, and every file of a deleted image or document are
removed from storage once the change is committed, so nothing keeps serving them
(decision 017). Originals are never served under /media/ anyway; renditions are, by a web
server in front, which is why the old ones must go.
"""

import contextlib
import logging

from django.core.files.storage import default_storage
from django.db import transaction

logger = logging.getLogger("iomsite.media")


def delete_files(*names):
    """Remove these storage names after the transaction commits (a rollback keeps them)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_now(names))


def _delete_now(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("could not delete the media file %s", name)


def rendition_names(image_pk, keep_version=None):
    """Stored renditions of an image, except those of ``keep_version`` (the current file)."""
    folder = f"renditions/{image_pk}"
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        _dirs, files = default_storage.listdir(folder)
        return [f"{folder}/{name}" for name in files if keep_version is None or not name.startswith(f"{keep_version}-")]
    return []


def forget_renditions(image_pk, keep_version=None):
    transaction.on_commit(lambda: _delete_now(rendition_names(image_pk, keep_version)))


def media_in_scope(user, obj):
    """Whether a user may see a media row: inside one of their sections, or site-wide (``section`` empty)."""
    from iomsite.workflow.sections import get_scope, section_field

    scope = get_scope(user)
    field = section_field(type(obj))
    if scope is None or field is None:
        return True
    section_id = getattr(obj, f"{field}_id")
    return section_id is None or section_id in scope.section_ids
