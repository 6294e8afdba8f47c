"""Two-factor login in the browser, the security pages through axe, and the CSP watch itself."""

from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.security.conftest import totp_code


def test_the_coordinator_logs_in_with_the_demo_code(page, demo_server, check_a11y, settings):
    settings.PITEBRA_REQUIRE_2FA = True
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/security/two-factor/verify/**")
    check_a11y(page)
    page.get_by_label("Kod").fill(totp_code(DEMO_TOTP_SECRET))
    page.get_by_role("button", name="Verifiera").click()
    page.wait_for_url(f"{demo_server.url}/")
    for path in ("/security/two-factor/", "/security/working-group/", "/security/audit/"):
        page.goto(f"{demo_server.url}{path}")
        check_a11y(page)
    assert page.get_by_role("cell", name="Inloggning").first.is_visible()
    # The admin too: no CSP violation there (axe is not asked about Django's own pages).
    for path in ("/admin/", "/admin/pitebra/agreement/", "/admin/pitebra/membership/add/"):
        page.goto(f"{demo_server.url}{path}")
        assert page.title()


def test_a_member_sees_the_qr_code_to_enrol(page, demo_server, login, check_a11y):
    login(page, "kommun")
    page.goto(f"{demo_server.url}/security/two-factor/")
    assert page.locator("figure.qr-code svg").is_visible()
    check_a11y(page)


def test_the_csp_watch_catches_an_inline_script(page, demo_server, login, csp_violations):
    login(page, "kommun")
    assert csp_violations == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.x = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.x") is None  # blocked
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen: the tour itself must not fail on it
