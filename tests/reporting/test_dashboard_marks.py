"""Every status reads without colour: the dashboard writes a mark and words for each status and
for "not for this state" (an activity of a Conservation Unit the state is not part of), apart
from the answer "Not applicable"; every colour holds its contrast; the stylesheet draws what
reporting.choices.LOOKS says."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import (
    HATCHED,
    LOOKS,
    NO_REPORT,
    NOT_FOR_STATE,
    OUTLINED,
    SOLID,
    UNANSWERED,
    EntryStatus,
)
from reporting.dashboard import LABELS, STATUSES

pytestmark = pytest.mark.django_db

# The first activities of the programme, each given one status in Kazakhstan's report.
GIVEN = dict(zip(["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"], EntryStatus.values, strict=True))
CELL = re.compile(
    r'<td class="m-(?P<kind>\w+)" title="(?P<title>[^"]*)"><span aria-hidden="true">'
    r'(?P<mark>[^<]*)</span><span class="visually-hidden">(?P<name>[^<]*)</span></td>'
)
SWATCH = r'<span class="swatch s-{}" aria-hidden="true"><span>{}</span></span>'


@pytest.fixture
def reports(cycle, people):
    """Kazakhstan accepted with each status once; Uzbekistan submitted, one entry unanswered."""
    built = {}
    for iso3, actor in [("KAZ", "national_focal_point"), ("UZB", "other_state_focal_point")]:
        report = services.open_report(cycle=cycle, range_state=RangeState.objects.get(iso3=iso3),
                                      actor=people[actor])  # fmt: skip
        report.entries.update(status=EntryStatus.COMPLETED, complete=True)
        if iso3 == "KAZ":
            for ref, status in GIVEN.items():
                report.entries.filter(activity__ref=ref).update(status=status)
        services.submit_report(report=report, actor=people[actor])
        built[iso3] = report
    services.accept_report(report=built["KAZ"], actor=people["secretariat"])
    built["UZB"].entries.filter(activity__ref="1.1").update(status="", complete=False)
    return built


def matrix(html: str) -> tuple[list[str], dict[str, dict[str, dict]]]:
    """The matrix's states and, per activity, each state's cell as written."""
    table = html[html.index('class="status-matrix"') : html.index("</table>", html.index(
        'class="status-matrix"'))]  # fmt: skip
    states = re.findall(r'<th scope="col" title="[^"]*">(\w{3})</th>', table)
    rows = {}
    for ref, cells in re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', table):
        found = [match.groupdict() for match in CELL.finditer(cells)]
        assert len(found) == len(states), f"a cell of {ref} without its mark and words"
        rows[ref] = dict(zip(states, found, strict=True))
    return states, rows


@pytest.mark.parametrize("audience", ["public", "secretariat"])
def test_each_status_and_not_for_this_state_has_a_mark_of_its_own(client, reports, people,
                                                                  audience):  # fmt: skip
    if audience == "secretariat":
        client.force_login(people["secretariat"])
    html = client.get("/dashboard/").content.decode()
    # Kopet Dag's activities do not apply to Kazakhstan; Iran has no report.
    unit = client.get("/dashboard/", {"conservation_unit": "kopetdag"}).content.decode()
    states, rows = matrix(html)
    _states, unit_rows = matrix(unit)
    for ref, status in GIVEN.items():
        assert rows[ref]["KAZ"]["kind"] == status
    assert rows["1.1"]["IRN"]["kind"] == NO_REPORT
    assert rows["1.1"]["UZB"]["kind"] == (UNANSWERED if audience == "secretariat" else NO_REPORT)
    assert {cells["KAZ"]["kind"] for cells in unit_rows.values()} == {NOT_FOR_STATE}

    cells = [cell for page in (rows, unit_rows) for cells in page.values()
             for cell in cells.values()]  # fmt: skip
    marks = {}
    for cell in cells:
        assert cell["name"] == cell["title"] == str(LABELS[cell["kind"]])
        marks.setdefault(cell["kind"], set()).add(cell["mark"])
    expected = {*EntryStatus.values, NOT_FOR_STATE, NO_REPORT}
    if audience == "secretariat":
        expected.add(UNANSWERED)
    assert set(marks) == expected
    assert all(len(written) == 1 for written in marks.values()), marks
    assert len({mark for [mark] in marks.values()}) == len(marks), "two kinds share a mark"
    assert all(mark for kind, [mark] in marks.items() if kind != NO_REPORT)  # blank: no report
    assert marks[NOT_FOR_STATE] != marks[EntryStatus.NOT_APPLICABLE]
    assert LABELS[NOT_FOR_STATE] != LABELS[EntryStatus.NOT_APPLICABLE]

    # The legends show the same marks: the matrix's every kind, the page's every status, and
    # the status tables' columns.
    legend = unit[unit.index('class="legend matrix-legend"') :]
    legend = legend[: legend.index("</p>")]
    for kind in [*STATUSES, NOT_FOR_STATE, NO_REPORT]:
        swatch = SWATCH.format(kind, re.escape(str(LOOKS[kind].mark)))
        assert re.search(f"{swatch} {re.escape(str(LABELS[kind]))}</span>", legend), kind
    table = html[html.index('id="t-section"') : html.index('id="t-state"')]
    for status in STATUSES:
        mark = re.escape(str(LOOKS[status].mark))
        assert re.search(f'title="{re.escape(str(LABELS[status]))}">{SWATCH.format(status, mark)}',
                         table), status  # fmt: skip
        assert re.search(f'<td class="num s-{status}" data-mark="{mark}">\\d+</td>', table), status


def test_the_russian_dashboard_writes_its_marks_and_words_in_russian(client, reports):
    client.post("/i18n/setlang/", {"language": "ru"})
    html = client.get("/dashboard/").content.decode()
    _states, rows = matrix(html)
    cell = rows["1.1"]["KAZ"]  # not started
    with translation.override("ru"):
        assert (cell["mark"], cell["name"]) == (str(LOOKS[GIVEN["1.1"]].mark),
                                                str(LABELS[GIVEN["1.1"]]))  # fmt: skip
    assert cell["name"] != "Not started"


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("code", list(LOOKS))
def test_every_look_holds_its_contrast(code):
    """A colour against white at least 3:1 (WCAG 1.4.11); its mark at least 4.5:1 against what
    is behind it: the colour, or white where the look is stripes or a box."""
    look = LOOKS[code]
    assert contrast(look.colour, "FFFFFF") >= 3, code
    behind = look.colour if look.pattern == SOLID else "FFFFFF"
    assert contrast(look.ink, behind) >= 4.5, code
    assert look.pattern in {SOLID, HATCHED, OUTLINED}


def test_the_stylesheet_draws_each_look_as_declared():
    css = Path(settings.BASE_DIR, "static/css/portal.css").read_text(encoding="utf-8")
    for code, look in LOOKS.items():
        rule = (rf"\.s-{code}, \.m-{code} \{{ --look: #{look.colour}; "
                rf"--look-ink: #{look.ink}; \}}")  # fmt: skip
        assert re.search(rule, css), code
    # Nothing paints over a matrix cell's colour but its own look.
    for selectors, body in re.findall(r"([^{}]*\.status-matrix td[^{}]*)\{([^}]*)\}", css):
        if "background" in body:
            assert "var(--look)" in body, selectors
