"""Helpers shared by the browser tests (tests/browser)."""

import json
from pathlib import Path

import axe_playwright_python
from dash.testing.wait import until
from selenium.common.exceptions import TimeoutException


def settle(dash_duo, timeout: float = 60) -> None:
    """Wait until no callback is in flight, so the server is not stopped mid-request."""

    def idle() -> bool:
        try:
            return dash_duo.redux_state_rqs == []
        except TimeoutException:  # the page is busy re-rendering on a slow shared machine
            return False

    until(idle, timeout=timeout, poll=0.5)


#: axe-core as shipped with axe-playwright-python (no download at test time).
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def run_axe(driver, *, all_rules: bool = False) -> list[dict]:
    """axe's violations on the current page: WCAG 2.2 AA rules, or every rule axe has
    (best practices included) with ``all_rules``."""
    driver.execute_script(AXE.read_text())
    driver.set_script_timeout(90)
    only = "{}" if all_rules else json.dumps({"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, Object.assign({only}, {{resultTypes: ['violations']}}))"
        ".then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify(String(e))));"
    )
    violations = json.loads(result)
    assert isinstance(violations, list), violations  # axe itself failed
    return violations
