"""Files people upload (evidence) and files the system writes (documents): where they are kept and
what they really are.

Both live outside the web root, in `settings.PRIVATE_FILES_ROOT`, and are served only by views
that first check who may see the case. An upload's type is read from its first bytes, never from
its name or the browser's word: a renamed program is refused however it is called.
"""

import hashlib
import io
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# What a worker's phone or scanner produces: photos and screenshots, and scanned or signed PDFs.
ALLOWED_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}
_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class PrivateStorage(FileSystemStorage):
    """The private folder, read from the settings at each use (a test moves it to its own)."""

    @property
    def base_location(self):
        return os.fspath(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def private():
    """The storage for FileFields (a callable, so migrations do not record a path)."""
    return private_storage


class Refused(ValueError):
    """An upload that is not one of the allowed kinds, with the reason a person reads."""


def sniff(data):
    """The content type of `data` (bytes) judged from its content, or raise `Refused`."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise Refused(_("The PDF is incomplete or damaged."))
        return "application/pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = _IMAGE_FORMATS.get(image.format)
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        kind = None
    if kind is None:
        raise Refused(_("Only photos (JPEG, PNG, WebP) and PDF files can be kept."))
    return kind


def sha256(data):
    return hashlib.sha256(data).hexdigest()
