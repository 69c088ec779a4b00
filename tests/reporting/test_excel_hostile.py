"""Hostile or wrong files: each refused with a clear message, memory bounded, nothing changed."""

import io
import random
import tracemalloc
import zipfile

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from conservation_units.models import RangeState
from reporting import services
from reporting.excel.layout import SIGNING_SALT, TEMPLATE_VERSION, TOKEN_CHUNK
from tests.factories import CycleFactory
from tests.reporting.excel import (
    STATUS,
    as_upload,
    download,
    fill,
    rows_by_ref,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


@pytest.fixture
def focal(people):
    client = Client()
    client.force_login(people["national_focal_point"])
    return client


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict | None = None) -> bytes:
    """The archive with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def template_bytes(client, report) -> bytes:
    return as_upload(download(client, report)).read()


def refused(client, report, name: str, content: bytes) -> str:
    before = snapshot(report)
    response = upload(client, report, SimpleUploadedFile(name, content))
    assert response.status_code == 400, response.status_code
    assert snapshot(report) == before
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def refused_within_memory(client, report, content: bytes) -> str:
    """`refused`, with the upload's peak memory (traced) held under 100 MB."""
    tracemalloc.start()
    try:
        page = refused(client, report, "filled.xlsx", content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1_048_576:.0f} MB"
    return page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.xlsx", b"Ref,Status\n1.1,Completed\n", "it is plain text (perhaps CSV)"),
        ("report.xlsx", PDF, "its content is application/pdf"),
        ("report.xlsx", random.Random(6).randbytes(4096), "is not an Excel workbook (.xlsx)"),
        ("report.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "is not an Excel"),
        ("report.xlsx", b"PK\x03\x04broken", "is damaged and cannot be opened"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(focal, report, name, content, message):
    assert message in refused(focal, report, name, content)


def test_a_workbook_that_is_not_the_template_is_refused(focal, report):
    book = Workbook()
    book.active.append(["Ref", "Status"])
    assert "is not a CAMI reporting template" in refused(
        focal, report, "mine.xlsx", as_upload(book).read()
    )


def test_macro_enabled_workbooks_are_refused_by_name_and_by_content(focal, report):
    data = template_bytes(focal, report)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    macro = rezip(
        data,
        replace={"[Content_Types].xml": types.replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")},
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)},
    )  # fmt: skip
    assert "is a macro-enabled workbook" in refused(focal, report, "filled.xlsm", macro)
    assert "contains macros" in refused(focal, report, "filled.xlsx", macro)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(focal, report):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(512):
                part.write(b" " * (1 << 20))  # 512 MB of spaces, about 500 KB packed
    content = bomb.getvalue()
    assert len(content) < 2 * 1024 * 1024
    page = refused_within_memory(focal, report, content)
    assert "would unpack to 512 MB" in page


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet2.xml"])
def test_xml_entity_expansion_is_refused(focal, report, part):
    data = template_bytes(focal, report)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        original = archive.read(part).decode()
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    hostile = rezip(data, replace={part: (LAUGHS + body.replace(
        "</sheetData>", '<row r="999"><c r="A999" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                        "</sheetData>")).encode()})  # fmt: skip
    assert "contains XML entity declarations" in refused_within_memory(focal, report, hostile)


def test_far_too_many_rows_or_columns_are_refused(focal, report):
    book = download(focal, report)
    book["Report"].cell(row=5000, column=1).value = "x"
    assert "far more rows than the 92 entries" in refused(
        focal, report, "filled.xlsx", as_upload(book).read()
    )
    book = download(focal, report)
    book["Report"].cell(row=2, column=300).value = "x"
    assert "uses 300 columns" in refused(focal, report, "filled.xlsx", as_upload(book).read())


def test_a_template_for_another_state_or_cycle_is_refused(focal, report, people):
    reviewer = Client()
    reviewer.force_login(people["secretariat"])
    uzbekistan = services.open_report(
        cycle=report.cycle, range_state=RangeState.objects.get(iso3="UZB"),
        actor=people["secretariat"],
    )  # fmt: skip
    other_state = template_bytes(reviewer, uzbekistan)
    page = refused(focal, report, "filled.xlsx", other_state)
    assert f"This template is for the UZB report of the {report.cycle.slug} cycle" in page
    later = services.open_report(
        cycle=CycleFactory(), range_state=report.range_state, actor=people["secretariat"]
    )
    page = refused(focal, report, "filled.xlsx", template_bytes(focal, later))
    assert f"of the {later.cycle.slug} cycle, not for Kazakhstan's report" in page


def _with_token(book, token: str) -> bytes:
    sheet = book["Metadata"]
    cells = [row[1] for row in sheet.iter_rows() if row[0].value == "signed"]
    for index, cell in enumerate(cells):
        cell.value = token[index * TOKEN_CHUNK : (index + 1) * TOKEN_CHUNK]
    return as_upload(book).read()


def _token(book) -> str:
    return "".join(r[1] for r in book["Metadata"].iter_rows(values_only=True) if r[0] == "signed")


def test_a_tampered_or_foreign_template_is_refused(focal, report):
    book = download(focal, report)
    payload = signing.loads(_token(book), salt=SIGNING_SALT)
    payload["entries"] = {key: [99, value[1]] for key, value in payload["entries"].items()}
    unsigned = signing.dumps(payload, key="another portal's secret key" * 2, salt=SIGNING_SALT)
    assert "hidden signature does not match" in refused(
        focal, report, "filled.xlsx", _with_token(book, unsigned)
    )
    token = _token(book)
    edited = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert "hidden signature does not match" in refused(
        focal, report, "filled.xlsx", _with_token(download(focal, report), edited)
    )


def test_a_template_of_another_version_is_refused(focal, report):
    book = download(focal, report)
    payload = signing.loads(_token(book), salt=SIGNING_SALT)
    old = signing.dumps({**payload, "template": 0}, salt=SIGNING_SALT, compress=True)
    current = f"the portal now reads version {TEMPLATE_VERSION}"
    assert f"This file is template version 0; {current}" in refused(
        focal, report, "filled.xlsx", _with_token(book, old)
    )


def test_rows_moved_added_or_renamed_are_refused_with_their_row(focal, report):
    book = download(focal, report)
    rows = rows_by_ref(book)
    sheet = book["Report"]
    sheet.cell(rows["1.3"]["row"], 1).value = "9.9"  # a grey column typed over
    sheet.append(["1.1", None, None, None, None, "Completed"])  # a row with no key
    key = sheet.cell(rows["1.1"]["row"], 13).value
    sheet.cell(rows["1.2"]["row"], 13).value = key  # 1.2's row now claims 1.1's key
    page = refused(focal, report, "filled.xlsx", as_upload(book).read())
    assert f"Row {rows['1.3']['row']}, column Ref: '9.9' but this row is activity 1.3" in page
    assert f"Row {sheet.max_row}: this row has no key" in page
    assert f"Row {rows['1.2']['row']}: repeats row {rows['1.1']['row']} (activity 1.1)" in page
    book = download(focal, report)
    fill(book, "1.1", **{STATUS: "Completed"})
    book["Report"]["F1"] = "State"
    assert "Row 1: the column headings are not the template's" in refused(
        focal, report, "filled.xlsx", as_upload(book).read()
    )


def test_a_file_over_the_size_limit_is_refused(focal, report, settings):
    settings.TEMPLATE_MAX_BYTES = 10_000
    page = refused(focal, report, "filled.xlsx", template_bytes(focal, report))
    assert "a filled template may be at most 9.8\xa0KB" in page


def test_a_password_protected_workbook_is_refused_in_words(focal, report):
    page = refused(focal, report, "filled.xlsx", _encrypted(template_bytes(focal, report)))
    assert "is encrypted; remove the password and upload it again" in page


def _encrypted(data: bytes) -> bytes:
    """The archive with every part flagged as encrypted, as `zip -P` flags them: in each local
    header (flags at byte 6) and central directory record (byte 8)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = out.find(signature)
        while start != -1:
            out[start + offset] |= 0x1
            start = out.find(signature, start + 4)
    with zipfile.ZipFile(io.BytesIO(bytes(out))) as archive, pytest.raises(RuntimeError):
        archive.read(archive.namelist()[0])  # what made the upload a 500
    return bytes(out)


def test_millions_of_empty_rows_are_refused_before_openpyxl_reads_them(focal, report):
    """A signed template whose Report sheet holds 7.5 million empty rows and no dimension: a few
    MB packed, within every archive limit, yet openpyxl would read it whole to size it."""
    data = template_bytes(focal, report)
    part = _report_sheet_part(data)
    # Incompressible padding keeps the archive's packing ratio that of a real sheet.
    padding = random.Random(7).randbytes(3_000_000).hex()
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData><!-- {padding} -->{'<row/>' * 7_500_000}</sheetData></worksheet>"
    ).encode()
    hostile = rezip(data, replace={part: sheet})
    assert len(hostile) < 5 * 1024 * 1024
    page = refused_within_memory(focal, report, hostile)
    assert "far more rows than the 92 entries" in page


def _report_sheet_part(data: bytes) -> str:
    """openpyxl writes sheet N of the workbook as xl/worksheets/sheetN.xml."""
    names = load_workbook(io.BytesIO(data), read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index('Report') + 1}.xml"
