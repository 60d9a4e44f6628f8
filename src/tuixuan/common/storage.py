"""Stored files, wherever they are: the local disk or an S3-compatible bucket.

Every stored file (photos, form copies, stamped PDFs, seal crops, rendered PDFs, exports, public
photo copies, the Word-import holding area) goes through Django's storage API, so the same code
runs on one machine with ``FileSystemStorage`` and on several behind a load balancer with
``TUIXUAN_STORAGE=s3`` (settings.py). Nothing may assume a local path. What the storage API does
not give, this module adds, once:

* ``BucketStorage``: django-storages' S3 storage that behaves like the local one where our code
  relies on it (a missing file raises ``FileNotFoundError`` everywhere) and can stream an object;
* ``open_stream``/``stored_file_response``: a private file sent to the browser (after the view's
  permission check) as it is read, never loaded whole — a package can be gigabytes;
* ``walk`` and ``sha256``: every stored file, and a file's hash, for backups and ``move_media``.
"""

import hashlib
import io
import os
import posixpath
import stat

from botocore.exceptions import ClientError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK = 1024 * 1024


def _missing(error: ClientError) -> bool:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class BucketStorage(S3Storage):
    """The bucket named by TUIXUAN_S3_* (its options are in settings.py)."""

    def get_modified_time(self, name):
        try:
            return super().get_modified_time(name)
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(f"File does not exist: {name}") from None
            raise

    def stream(self, name) -> "ObjectStream":
        """The object's body as a file read from the network in chunks as it is consumed
        (S3Storage's own ``open`` downloads the whole object first)."""
        key = self._normalize_name(clean_name(name))
        try:
            answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(f"File does not exist: {name}") from None
            raise
        return ObjectStream(answer["Body"], answer["ContentLength"])


class HashingReader(io.RawIOBase):
    """Reads ``source`` through, keeping the SHA-256 (``digest``) and the size of what passed:
    a copy is checked without reading the file twice (backup, restore, move_media)."""

    def __init__(self, source):
        super().__init__()
        self.source, self.digest, self.size = source, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.source.read(len(buffer))
        buffer[: len(data)] = data
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class ObjectStream(io.RawIOBase):
    """A bucket object's body, readable once from start to end."""

    def __init__(self, body, size):
        super().__init__()
        self.body, self.size = body, size

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            self.body.close()
        super().close()


def open_stream(storage, name):
    """``name`` opened for reading once from the start, without loading it whole.

    FileNotFoundError when it is not there, on either storage.
    """
    if isinstance(storage, BucketStorage):
        return storage.stream(name)
    return storage.open(name, "rb")


def stored_file_response(field_file, **kwargs) -> FileResponse:
    """A stored file as a streaming download; ``kwargs`` as for ``FileResponse``.

    Only for views that have already checked the user may see the file. FileNotFoundError when
    the file is missing (the callers answer 404).
    """
    file = open_stream(field_file.storage, field_file.name)
    response = FileResponse(file, **kwargs)
    response.block_size = 64 * 1024
    if not response.has_header("Content-Length") and getattr(file, "size", None) is not None:
        response["Content-Length"] = file.size
    return response


def walk(storage, folder="", skipped=None):
    """The name of every stored file under ``folder``, sorted folder by folder.

    On the local disk, links and special files are not stored files (only someone with a shell on
    the server makes them) and are never followed: their names go to ``skipped`` if given. A
    folder that vanishes meanwhile is simply empty.
    """
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = posixpath.join(folder, name) if folder else name
        if _regular(storage, path, stat.S_ISREG):
            yield path
        elif skipped is not None:
            skipped.append(path)
    for sub in sorted(folders):
        path = posixpath.join(folder, sub) if folder else sub
        if _regular(storage, path, stat.S_ISDIR):
            yield from walk(storage, path, skipped)
        elif skipped is not None:
            skipped.append(path)


def _regular(storage, name, kind) -> bool:
    if not isinstance(storage, FileSystemStorage):
        return True  # a bucket holds objects only
    try:
        return kind(os.lstat(storage.path(name)).st_mode)
    except FileNotFoundError:
        return False


def sha256(storage, name) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a stored file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open_stream(storage, name) as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
