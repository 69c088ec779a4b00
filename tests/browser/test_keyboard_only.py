"""A focal point answers entries and adds evidence on a section page with the keyboard alone, and
always sees where the focus is."""

import pytest
from playwright.sync_api import expect

from reporting.models import ReportEntry
from tests.browser.axe import assert_accessible
from tests.browser.test_typed_text_survives import entry_page, section_page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def tab_to(page, wanted: str, most: int = 30) -> None:
    """Tab until the element with id (or tag) `wanted` has the focus."""
    for _ in range(most):
        if focused(page) == wanted:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{wanted} is not reached with Tab (stuck at {focused(page)})")


def ring(page) -> tuple[str, str]:
    return page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return [style.outlineStyle, style.outlineColor];
    }""")


def test_a_section_is_answered_with_the_keyboard_alone(entry_page, live_server):  # noqa: F811
    page, entry, _focal = entry_page
    section_page(page, live_server, entry)
    first = entry.report.entries.filter(activity__section=entry.activity.section).order_by(
        "activity__position").first()  # fmt: skip
    page.keyboard.press("Alt+n")
    assert focused(page) == f"e{first.pk}-status"
    assert ring(page)[0] != "none"  # the focus is drawn
    page.keyboard.press("ArrowDown")  # the first status
    page.keyboard.press("Tab")
    assert focused(page) == f"e{first.pk}-narrative"
    page.keyboard.type("Typed without a mouse.")
    expect(page.locator(f"#save-{first.pk}")).to_contain_text("Saved")

    card = page.locator(f"#entry-{first.pk}")
    tab_to(page, "SUMMARY")
    page.keyboard.press("Enter")  # opens "Add a link or a file"
    tab_to(page, f"ev{first.pk}-url")
    page.keyboard.type("https://example.org/keyboard.pdf")
    page.keyboard.press("Enter")
    expect(card.locator("ul.evidence")).to_contain_text("keyboard.pdf")
    assert_accessible(page)

    page.keyboard.press("Alt+n")  # on to the next entry still incomplete
    assert focused(page) != f"e{first.pk}-status" and focused(page).endswith("-status")
    stored = ReportEntry.objects.get(pk=first.pk)
    assert stored.status and stored.answers == {"narrative": "Typed without a mouse."}
    assert stored.evidence.get().url == "https://example.org/keyboard.pdf"
