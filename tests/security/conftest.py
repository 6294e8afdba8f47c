import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

PASSWORD = "secret-pw-123"


def totp_code(secret_b32, offset=0):
    """The code an authenticator app shows for this secret, `offset` 30-second steps ahead."""
    secret = secret_b32.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * offset
    return f"{totp.token():06d}"


def secret_on_page(html):
    return re.search(r'id="totp-secret">([A-Z2-7 ]{20,})<', html).group(1)


@pytest.fixture
def password_login(client):
    """Log in through the login form (as a person does), returning the response."""

    def login(username, password=PASSWORD):
        return client.post(reverse("login"), {"username": username, "password": password})

    return login


from tests.oidc_provider.fixtures import oidc_provider  # noqa: E402, F401
from tests.saml_idp.fixtures import saml_idp  # noqa: E402, F401
