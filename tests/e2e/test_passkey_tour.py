"""A passkey in the browser: registered on the security page with Chromium's virtual
authenticator, then used as the second factor at the next login."""

from django_otp_webauthn.models import WebAuthnCredential

from pitebra.models import User
from security.models import AuditEvent
from tests.e2e.conftest import DEMO_PASSWORD


def virtual_authenticator(page):
    """Chromium's built-in authenticator (CDP WebAuthn domain): a platform passkey that
    verifies the user (as a fingerprint would) without any hardware."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_a_member_registers_a_passkey_and_logs_in_with_it(
    page, demo_server, login, check_a11y, settings
):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [demo_server.url.replace("127.0.0.1", "localhost")]
    base = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
    virtual_authenticator(page)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Användarnamn").fill("kommun")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/security/two-factor/")
    page.get_by_role("button", name="Lägg till en lösennyckel").click()
    page.wait_for_function(
        "() => document.getElementById('passkey-register-status-message')?.textContent.trim()"
    )
    user = User.objects.get(username="kommun")
    assert WebAuthnCredential.objects.filter(user=user).count() == 1
    page.reload()
    assert "1 lösennyckel" in page.locator("#passkey-count").inner_text()
    check_a11y(page)

    # The next login asks for the second factor; the passkey answers it.
    settings.PITEBRA_REQUIRE_2FA = True
    page.context.clear_cookies()  # a new visit: the session is gone
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Användarnamn").fill("kommun")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/security/two-factor/verify/**")
    check_a11y(page)
    page.get_by_role("button", name="Verifiera med en lösennyckel").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert AuditEvent.objects.filter(user=user, action=AuditEvent.Action.LOGIN).count() == 2
