"""Media storage that never leaves a partial file and never overwrites another upload.

Django's ``FileSystemStorage`` writes straight into the final name: a full disk or a
killed process leaves a truncated file that looks like a real one. Here the bytes go
to a temporary file in the target folder, are flushed to disk (``fsync``), and only
then get their final name in one atomic step. On any error the temporary file is
removed and the error re-raised, so callers (the admin's upload form) can tell the
editor that nothing was stored.

The final name is taken with ``os.link``, which is atomic and fails if the name
exists, so two uploads racing for one name both keep their file. Where the file
system has no hard links, the name is reserved with an exclusive create and the
temporary file moved over that reservation with ``os.replace``.
"""

import contextlib
import errno
import os
import tempfile

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
TEMP_PREFIX = ".upload-"


@deconstructible(path="iomsite.storage.AtomicFileSystemStorage")
class AtomicFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` with atomic, non-overwriting writes confined to ``location``."""

    def get_available_name(self, name, max_length=None):
        if "\x00" in str(name):
            raise SuspiciousFileOperation("File names may not contain NUL bytes.")
        return super().get_available_name(name, max_length=max_length)

    def _inside_location(self, directory):
        root = os.path.realpath(self.location)
        real = os.path.realpath(directory)
        if real != root and not real.startswith(root + os.sep):
            # A symbolic link inside the media folder must not lead uploads out of it.
            raise SuspiciousFileOperation(f"{directory} is outside the media folder.")

    def _save(self, name, content):
        full_path = self.path(name)  # safe_join: refuses names that climb out of location
        directory = os.path.dirname(full_path)
        self._make_directory(directory)
        self._inside_location(directory)
        fd, temp_path = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=".part")
        try:
            try:
                self._write_all(fd, content)
                os.fsync(fd)
            finally:
                os.close(fd)
            # mkstemp makes the file private (0600); uploads are served by the web server.
            os.chmod(temp_path, 0o644 if self.file_permissions_mode is None else self.file_permissions_mode)
            name, full_path = self._publish(temp_path, name, full_path)
            self._sync_directory(directory)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_path)
            raise
        return str(name).replace("\\", "/")

    def _make_directory(self, directory):
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
        try:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)

    @staticmethod
    def _write_all(fd, content):
        for chunk in content.chunks():
            data = chunk.encode() if isinstance(chunk, str) else chunk
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]

    def _publish(self, temp_path, name, full_path):
        """Give the finished temporary file its final name, never replacing another file."""
        while True:
            try:
                os.link(temp_path, full_path)
            except FileExistsError:
                name, full_path = self._another_name(name)
                continue
            except OSError as error:
                if error.errno not in NO_HARD_LINKS:
                    raise
                return self._reserve_and_replace(temp_path, name, full_path)
            os.unlink(temp_path)
            return name, full_path

    def _reserve_and_replace(self, temp_path, name, full_path):
        while True:
            try:
                os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                name, full_path = self._another_name(name)
                continue
            try:
                os.replace(temp_path, full_path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(full_path)
                raise
            return name, full_path

    def _another_name(self, name):
        """Someone took ``name`` after the existence check: add a random suffix, as Django does."""
        directory, file_name = os.path.split(name)
        root, ext = os.path.splitext(file_name)
        name = self.get_available_name(os.path.join(directory, self.get_alternative_name(root, ext)))
        return name, self.path(name)

    @staticmethod
    def _sync_directory(directory):
        # The new name itself must survive a power cut, not only the file's bytes.
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
