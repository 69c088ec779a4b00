"""axe-core in the browser tests: WCAG 2.1 A and AA rules on the page as it is now.

axe-core's own build (axe.min.js of the npm package) comes from the axe-playwright-python
package, so the tests need no Node.js; it is evaluated through DevTools, which the portal's strict
Content Security Policy does not block.
"""

from importlib.resources import files

AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    """Each violation as "rule (impact): where", empty when the page passes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(found)
