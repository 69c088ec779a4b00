"""An uploaded workbook's archive, inspected before any XML in it is parsed.

An .xlsx file is a zip of XML parts. A zip bomb (a few kilobytes that unpack to gigabytes) is
caught here from the sizes the archive declares; openpyxl then reads the parts in streaming mode,
through defusedxml, with row and column limits, so even a lying archive cannot exhaust memory.
"""

import zipfile
import zlib
from pathlib import PurePath

import filetype
from defusedxml.ElementTree import iterparse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_MEMBERS = 300
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # Real sheets compress 5-20 times; a bomb, thousands of times.
MACRO_PARTS = ("vbaproject.bin", "macrosheets/", "vbadata.xml")


class WorkbookRefused(Exception):
    """The file cannot be read as a reporting template; the message says why, for a person."""


def check_archive(upload, name: str) -> None:
    """Raises WorkbookRefused unless `upload` is a plain .xlsx archive of sane size."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".xlsm", ".xltm", ".xlsb"}:
        raise WorkbookRefused(
            _(
                "“%(name)s” is a macro-enabled workbook. Save it as an Excel Workbook (.xlsx) and "
                "upload that."
            )
            % {"name": name}
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not head.startswith(b"PK\x03\x04"):
        raise WorkbookRefused(
            _(
                "“%(name)s” is not an Excel workbook (.xlsx): %(found)s. Fill in the template you "
                "downloaded and save it as .xlsx."
            )
            % {"name": name, "found": _looks_like(head)}
        )
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            # Before any part is read: reading an encrypted one raises instead of refusing.
            _check_members(members, name)
            if any(_declares_entities(archive, member) for member in members):
                raise WorkbookRefused(unsafe_xml(name))
            content_types = _small_part(archive, "[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, zlib.error) as error:
        raise WorkbookRefused(
            _("“%(name)s” is damaged and cannot be opened.") % {"name": name}
        ) from error
    finally:
        upload.seek(0)
    names = {member.filename.lower() for member in members}
    if "xl/workbook.xml" not in names or content_types is None:
        if "mimetype" in names:
            message = _(
                "“%(name)s” is a zip archive but not an Excel workbook (.xlsx) – it looks like an "
                "OpenDocument spreadsheet. Save it from Excel or LibreOffice as an Excel Workbook "
                "(.xlsx)."
            )
        else:
            message = _(
                "“%(name)s” is a zip archive but not an Excel workbook (.xlsx). Save it from Excel "
                "or LibreOffice as an Excel Workbook (.xlsx)."
            )
        raise WorkbookRefused(message % {"name": name})
    if b"macroEnabled" in content_types or any(
        part in member for member in names for part in MACRO_PARTS
    ):
        raise WorkbookRefused(
            _(
                "“%(name)s” contains macros, which the portal never opens. Save it as an Excel "
                "Workbook (.xlsx) without macros and upload that."
            )
            % {"name": name}
        )


def sheets_within(upload, max_rows: int) -> bool:
    """Whether every worksheet of the archive has at most `max_rows` rows.

    Counted from the sheet XML as it streams, stopping at the bound: openpyxl's read-only loader
    reads a whole sheet to size it, so millions of empty rows (a few MB packed) would cost
    hundreds of MB before any limit of its own applies.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            sheets = [m for m in archive.infolist() if _is_worksheet(m.filename)]
            for member in sheets:
                with archive.open(member) as part:
                    rows = 0
                    for _event, element in iterparse(part, events=("end",)):
                        if element.tag.rpartition("}")[2] == "row":
                            rows += 1
                            if rows > max_rows:
                                return False
                        element.clear()
    finally:
        upload.seek(0)
    return True


def unsafe_xml(name: str) -> str:
    return _(
        "“%(name)s” contains XML entity declarations, which spreadsheets never need and which "
        "can be used to attack a server; it was not opened."
    ) % {"name": name}


def _declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """A document type declaration (where entities are declared) comes before the root element,
    so the first bytes of a part tell. Refused whichever XML parser openpyxl then uses (with lxml
    installed it does not expand entities, but neither does it refuse them)."""
    if not member.filename.lower().endswith((".xml", ".rels")):
        return False
    with archive.open(member) as part:
        head = part.read(4096).upper()
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _is_worksheet(part: str) -> bool:
    path = PurePath(part.lower())
    return path.parent == PurePath("xl/worksheets") and path.suffix == ".xml"


def _check_members(members, name: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(
            _("“%(name)s” holds %(count)s parts; a template has about 15.")
            % {"name": name, "count": len(members)}
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise WorkbookRefused(
            _("“%(name)s” is encrypted; remove the password and upload it again.") % {"name": name}
        )
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(packed, 1):
        raise WorkbookRefused(
            _(
                "“%(name)s” would unpack to %(unpacked)s MB from %(packed)s KB: far more than a "
                "reporting template, so it was not opened. Upload the template you filled in."
            )
            % {
                "name": name,
                "unpacked": _whole(unpacked / 1_048_576),
                "packed": _whole(packed / 1024),
            }
        )


def _whole(number: float) -> str:
    """A number rounded and grouped as the active language writes it (1,234 or 1 234)."""
    return number_format(round(number), decimal_pos=0, force_grouping=True)


def _small_part(archive: zipfile.ZipFile, part: str) -> bytes | None:
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    if info.file_size > 64 * 1024:
        return None
    return archive.read(info)


def _looks_like(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return _("its content is %(type)s") % {"type": kind.mime}
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("it is an old-style Excel 97-2003 file (.xls)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("its content is not a known document")
    return _("it is plain text (perhaps CSV)")
