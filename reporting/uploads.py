"""Evidence files: checked by their content, not their name, before anything is stored."""

import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Detected type -> the file-name endings that may carry it.
ALLOWED = {
    "pdf": {".pdf"},
    "png": {".png"},
    "jpg": {".jpg", ".jpeg"},
    "gif": {".gif"},
    "webp": {".webp"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "pptx": {".pptx"},
    "odt": {".odt"},
    "ods": {".ods"},
    "odp": {".odp"},
    "doc": {".doc"},
    "xls": {".xls"},
    "ppt": {".ppt"},
}
ZIPPED = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
DESCRIPTION = gettext_lazy("a PDF, an image (PNG, JPEG, GIF, WebP) or an office document")


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def check_upload(upload) -> tuple[str, str]:
    """(media type, clean file name) of an acceptable upload; ValidationError saying why not."""
    name = PurePath(upload.name or "file").name[:200]
    if upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; evidence files may be at most %(limit).0f MB.")
            % {"name": name, "size": upload.size / 1_048_576, "limit": max_bytes() / 1_048_576}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED:
        found = (
            _("its content is %(type)s") % {"type": kind.mime}
            if kind
            else _("its content is not a known document")
        )
        raise ValidationError(
            _("“%(name)s” cannot be used as evidence: %(found)s. Upload %(allowed)s.")
            % {"name": name, "found": found, "allowed": DESCRIPTION}
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED[kind.extension]:
        raise ValidationError(
            _(
                "“%(name)s” is named %(ending)s but its content is %(type)s; rename it or upload "
                "the right file."
            )
            % {
                "name": name,
                "ending": suffix or _("without an ending"),
                "type": kind.extension.upper(),
            }
        )
    if kind.extension in ZIPPED:
        _refuse_macros(upload, name)
    return kind.mime, name


def _refuse_macros(upload, name: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as error:
        raise ValidationError(
            _("“%(name)s” is damaged and cannot be opened.") % {"name": name}
        ) from error
    finally:
        upload.seek(0)
    if any(entry.lower().endswith("vbaproject.bin") for entry in names):
        raise ValidationError(
            _("“%(name)s” contains macros; save it without macros and try again.") % {"name": name}
        )
