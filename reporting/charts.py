"""Status bars of the documents, drawn on the server: SVG for the PDF (WeasyPrint draws it), PNG
for the Word document (python-docx cannot place SVG). Both from the same StatusRow numbers and
the same colours and marks as the dashboard and the review workbook (reporting.choices.LOOKS)."""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from reporting.choices import LOOKS
from reporting.dashboard import CHART_COLOURS, LABELS, StatusRow


@dataclass
class Segment:
    status: str
    count: int
    x: str
    width: str
    colour: str


def segments(row: StatusRow) -> list[Segment]:
    """The row's bar as coloured segments of a 100-wide SVG box."""
    return [Segment(status, count, x, width, f"#{CHART_COLOURS[status]}")
            for status, count, x, width in row.segments]  # fmt: skip


def legend() -> list[tuple[str, str]]:
    """(colour, words) of each status; the words start with the status's mark, as in the
    annex's matrix and on the dashboard."""
    return [(f"#{colour}", f"{LOOKS[status].mark} {LABELS[status]}")
            for status, colour in CHART_COLOURS.items()]  # fmt: skip


SCALE = 2  # drawn at twice the size it is shown, so that it prints sharp
WIDTH, ROW, LABEL, TOTAL, GAP = 800 * SCALE, 22 * SCALE, 300 * SCALE, 50 * SCALE, 8 * SCALE


def png(rows: list[StatusRow]) -> bytes:
    """A horizontal stacked bar per row, its label on the left and the legend below."""
    font = _font(11 * SCALE)
    legend_rows = 2
    height = ROW * (len(rows) + legend_rows) + GAP * 2
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    bar = WIDTH - LABEL - TOTAL
    for i, row in enumerate(rows):
        top = GAP + i * ROW
        draw.text((0, top + ROW // 2), _fitted(draw, row.label, font, LABEL - GAP), fill="#111111",
                  font=font, anchor="lm")  # fmt: skip
        for status, _count, x, width in row.segments:
            left = LABEL + bar * float(x) / 100
            right = left + bar * float(width) / 100
            draw.rectangle((left, top + 3 * SCALE, right, top + ROW - 3 * SCALE),
                           fill=f"#{CHART_COLOURS[status]}", outline="white",
                           width=SCALE)  # fmt: skip
        draw.text((WIDTH - 2, top + ROW // 2), str(row.total), fill="#111111", font=font,
                  anchor="rm")  # fmt: skip
    x, top = 0, GAP * 2 + len(rows) * ROW
    small = _font(9 * SCALE, bold=True)
    for status, colour in CHART_COLOURS.items():
        look, label = LOOKS[status], str(LABELS[status])
        swatch = max(ROW, draw.textlength(str(look.mark), font=small) + 6 * SCALE)
        width = swatch + GAP + draw.textlength(label, font=font) + GAP * 2
        if x + width > WIDTH:
            x, top = 0, top + ROW
        # The status's colour with its mark in it, as the dashboard's legend has it.
        draw.rectangle((x, top + 2 * SCALE, x + swatch, top + ROW - 2 * SCALE), fill=f"#{colour}")
        draw.text((x + swatch / 2, top + ROW // 2), str(look.mark), fill=f"#{look.ink}",
                  font=small, anchor="mm")  # fmt: skip
        draw.text((x + swatch + GAP, top + ROW // 2), label, fill="#111111", font=font,
                  anchor="lm")  # fmt: skip
        x += width
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _font(size: int, bold: bool = False):
    # DejaVu Sans comes with the fontconfig that WeasyPrint's Pango needs anyway; it has Cyrillic.
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _fitted(draw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"
