"""axe-core, the accessibility checker, run inside a Playwright page: the WCAG 2.0, 2.1
and 2.2 A and AA rules, keeping the violations rated serious or critical."""

from __future__ import annotations

from qa_app.settings import PROJECT_ROOT

AXE_JS = PROJECT_ROOT / "tests" / "e2e" / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = ("serious", "critical")


def blocking_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(where: str, violations: list[dict]) -> list[str]:
    """One line per violation: the page, the rule, how many elements, the first of them."""
    return [
        f"{where}: {v['id']} ({v['impact']}) x{len(v['nodes'])}: {v['nodes'][0]['target']} "
        f"{v['nodes'][0]['failureSummary'][:200]!r}"
        for v in violations
    ]
