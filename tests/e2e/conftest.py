"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.snapshot import load_demo

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe lists every node of every rule that passed too unless told otherwise: half its time on a
# long page. Violations are still reported in full (one node per rule for the other kinds).
VIOLATIONS_ONLY = {"resultTypes": ["violations"]}
DEMO_PASSWORD = "pitebra-demo"


def pytest_collection_modifyitems(config, items):
    e2e = [item for item in items if "tests/e2e/" in str(item.fspath)]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    if CHROMIUM.exists() or not e2e:
        return
    if os.environ.get("PITEBRA_REQUIRE_E2E") == "1":
        raise pytest.UsageError(f"{CHROMIUM} is missing and PITEBRA_REQUIRE_E2E=1: no tour.")
    skip = pytest.mark.skip(reason=f"browser tour skipped: {CHROMIUM} not installed")
    for item in e2e:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def demo_server(live_server, transactional_db):
    """The live server with the fresh demo (the clock's day), committed so that the server's
    threads see it: seeded once, then the same rows written back before each test into the
    tables the test before left flushed (tests/snapshot.py)."""
    load_demo(today=None)
    return live_server


# Every violation of the Content-Security-Policy is also written to the console, so that a
# tour fails on it (Chromium reports blocked resources there too).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
});
"""


@pytest.fixture
def csp_violations():
    return []


@pytest.fixture
def page(page, csp_violations):
    """Playwright's page, failing the test on any CSP violation on any page it visited."""
    violations = csp_violations

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            violations.append(f"{page.url}: {text}")

    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    yield page
    assert not violations, "\n".join(violations)


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def check_a11y(axe):
    """Run axe-core on the page and fail with its report on any WCAG 2.1 A/AA violation."""

    def check(page):
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, **VIOLATIONS_ONLY}
        results = axe.run(page, options=options)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def login(demo_server):
    def do_login(page, username):
        page.goto(f"{demo_server.url}/accounts/login/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{demo_server.url}/")

    return do_login
