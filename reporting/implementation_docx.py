"""The implementation report as a Word document, for the Secretariat to edit as UN documents are
made: Word's own headings (so its navigation pane and table of contents work), a contents field
Word fills in on opening, page numbers, tables in Word's grid style and the charts as pictures."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from cami.content import translated_field
from reporting import charts
from reporting.dashboard import LABELS, STATUSES
from reporting.dates import long_date
from reporting.synthesis import CHAPTERS, Synthesis

GREY = RGBColor(0x55, 0x55, 0x55)


class Body:
    """Paragraphs appended to the end of the document's body. python-docx's add_paragraph looks
    for the section properties among all the body's children on every call, which is quadratic
    in a long report; here they are set aside until the body is closed."""

    def __init__(self, document):
        self.document, self.element = document, document.element.body
        self.width = document._block_width  # read from the section properties, set aside below
        self.section = self.element.sectPr
        self.element.remove(self.section)

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A paragraph of `text` in the style whose id is `style` (Heading1, Quote...)."""
        element = OxmlElement("w:p")
        self.element.append(element)
        if style:
            element.style = style
        paragraph = Paragraph(element, self.document._body)
        if text:
            paragraph.add_run(text)
        return paragraph

    def table(self, columns: int):
        return self.document._body.add_table(1, columns, self.width)

    def picture(self, data: bytes, width) -> None:
        self.paragraph().add_run().add_picture(io.BytesIO(data), width=width)

    def close(self) -> None:
        self.element.append(self.section)


def word_document(s: Synthesis) -> bytes:
    """The .docx file, in the active language."""
    document = Document()
    _page(document, s)
    title = _("Implementation of the CAMI Work Programme 2026–2031")
    document.core_properties.title = f"{title}: {s.cycle.translated_title}"
    document.core_properties.language = get_language()
    body = Body(document)
    body.paragraph(title, "Title")
    names = {"cycle": s.cycle.translated_title, "day": long_date(s.as_of)}
    body.paragraph(_("Draft report on %(cycle)s, as of %(day)s") % names, "Subtitle")
    _muted(body, _("Drafted by the CAMI portal on %(when)s from the national reports the "
                       "Secretariat had accepted by then, for the Secretariat to edit. Annex A "
                       "lists the reports counted; quotations name their report and version.")
           % {"when": date_format(timezone.localtime(), "DATETIME_FORMAT")})  # fmt: skip
    if note := strip_tags(render_to_string("activities/_translation_note.html")).strip():
        _muted(body, note)  # the activities' texts are the team's unreviewed translation
    body.paragraph(_("Contents"), "Heading1")
    _contents(document, body)

    body.paragraph(str(CHAPTERS["summary"]), "Heading1")
    _table(body, [_("Figure"), _("Value")], s.figures, widths=[130, 40])

    body.paragraph(str(CHAPTERS["sections"]), "Heading1")
    rows = [part.row for part in s.parts]
    _chart(body, rows)
    _status_table(body, _("Section"), rows)

    body.paragraph(str(CHAPTERS["states"]), "Heading1")
    _chart(body, s.by_state)
    _status_table(body, _("Range State"), s.by_state)

    body.paragraph(str(CHAPTERS["activities"]), "Heading1")
    for part in s.parts:
        body.paragraph(f"{part.section.number}. {translated_field(part.section, 'title')}",
                       "Heading2")  # fmt: skip
        for line in part.lines:
            _line(body, line)

    body.paragraph(str(CHAPTERS["overdue"]), "Heading1")
    if s.overdue:
        _table(body, [_("Indicator"), _("Target date"), _("Reported status")], [
            (f"{line.ref} {translated_field(line.indicator, 'text')}",
             long_date(line.indicator.target_date), _said(line))
            for line in s.overdue
        ], widths=[80, 25, 65])  # fmt: skip
    else:
        body.paragraph(_("None."))

    for chapter, quotes in [("highlights", s.highlights), ("obstacles", s.obstacles)]:
        body.paragraph(str(CHAPTERS[chapter]), "Heading1")
        if not quotes:
            body.paragraph(_("None reported."))
        for quote in quotes:
            _quote(body, quote, with_ref=True)

    body.paragraph(str(CHAPTERS["sources"]), "Heading1")
    _table(body, [_("Range State"), _("Version"), _("First submitted"), _("On time"),
                      _("Accepted"), _("Entries answered"), _("Cited as")], [
        (source.state.name, str(source.version.number), long_date(source.first_submitted),
         _("yes") if source.on_time else _("no"), long_date(source.version.accepted_at),
         f"{source.answered} / {source.total}", source.key)
        for source in s.sources
    ])  # fmt: skip
    if not s.sources:
        body.paragraph(_("No national report had been accepted by this day."))

    body.paragraph(str(CHAPTERS["matrix"]), "Heading1")
    _muted(body, "; ".join(f"{mark or '␣'} {label}" for mark, label in s.legend))
    _table(body, [_("Indicator"), *[state.iso3 for state in s.states]],
           [(line.ref, *line.marks) for part in s.parts for line in part.lines],
           font=Pt(7))  # fmt: skip
    body.close()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document, s: Synthesis) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    header = section.header.paragraphs[0]
    header.text = f"{_('CAMI')} — {s.cycle.translated_title}"  # ЦАИМ in Russian
    header.runs[0].font.size, header.runs[0].font.color.rgb = Pt(8), GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10)
    language = OxmlElement("w:lang")  # Word's spelling check in the document's language
    language.set(qn("w:val"), get_language())
    normal.element.get_or_add_rPr().append(language)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (page number, contents) that Word computes; `shown` until it does."""
    run = paragraph.add_run()
    for kind, text in [("begin", None), (None, instruction), ("separate", None), (None, shown),
                       ("end", None)]:  # fmt: skip
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                element.set(qn("w:dirty"), "true")  # computed when the document is opened
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _contents(document, body) -> None:
    _field(body.paragraph(), 'TOC \\o "1-2" \\h \\z \\u',
           _("The contents are filled in when the document is opened in Word (or: right-click, "
             "Update field)."))  # fmt: skip
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _muted(body, text: str):
    run = body.paragraph().add_run(text)
    run.font.size, run.font.color.rgb = Pt(8.5), GREY


def _table(body, headings: list[str], rows, widths: list[int] | None = None, font=None):
    table = body.table(len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
    _repeat_heading(table.rows[0])
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    if widths:  # the grid for LibreOffice, the cells for Word
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)
    if font:
        for row in table.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = font
    return table


def _repeat_heading(row) -> None:
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _chart(body, rows) -> None:
    if rows:
        body.picture(charts.png(rows), width=Mm(170))


def _status_table(body, heading: str, rows) -> None:
    widths = [42] + [16] * (len(STATUSES) + 1)
    _table(body, [heading, *[str(LABELS[status]) for status in STATUSES], _("Entries")],
           [(row.label, *[str(count) for count in row.cells()], str(row.total)) for row in rows],
           widths=widths, font=Pt(8))  # fmt: skip


def _said(line) -> str:
    said = "; ".join(f"{state.name}: {label}" for state, label in line.reported)
    return said or _("no accepted report answers on it")


def _line(body, line) -> None:
    paragraph = body.paragraph()
    paragraph.add_run(f"{line.ref} ").bold = True
    paragraph.add_run(translated_field(line.indicator.activity, "text"))
    said = body.paragraph(_said(line))
    said.paragraph_format.left_indent = Mm(6)
    for quote in line.quotes:
        _quote(body, quote)


def _quote(body, quote, with_ref: bool = False) -> None:
    paragraph = body.paragraph(style="Quote")
    cited = f"{quote.ref}, {quote.source.key}" if with_ref else quote.source.key
    paragraph.add_run(f"{quote.source.state.name}: ").bold = True
    paragraph.add_run(_("“%(text)s”") % {"text": quote.text} + " ")
    paragraph.add_run(f"[{cited}]").font.color.rgb = GREY
