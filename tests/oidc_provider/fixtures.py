"""The `oidc_provider` fixture: the test OpenID Connect provider in its own process, with an
RS256 key generated here (the tests also sign forged tokens with it and with others)."""

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "pitebra-test"
CLIENT_SECRET = "provider-client-secret-" + "s" * 20  # noqa: S105
PASSWORD = "provider-pw-123"  # noqa: S105


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class TestProvider:
    base: str
    key: object

    @property
    def discovery_url(self):
        return f"{self.base}/o/.well-known/openid-configuration"

    def setup(self, *, users=(), redirect_uris=(), post_logout_redirect_uris=()):
        """Create or change people (and our client); returns each username's `sub`."""
        clients = []
        if redirect_uris:
            clients.append(
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": list(redirect_uris),
                    "post_logout_redirect_uris": list(post_logout_redirect_uris),
                }
            )
        people = [{"password": PASSWORD, **person} for person in users]
        response = requests.post(
            f"{self.base}/test/setup/", json={"clients": clients, "users": people}, timeout=10
        )
        response.raise_for_status()
        return response.json()["subjects"]

    def authorize(self, authorize_url, username, password=PASSWORD):
        """The person signs in at the provider; returns where it sends the browser back (our
        callback with code and state), or None when the provider did not let them in."""
        session = requests.Session()
        url = authorize_url
        for _ in range(10):
            response = session.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "csrfmiddlewaretoken" in response.text:
                response = session.post(
                    response.url,
                    data={
                        "csrfmiddlewaretoken": session.cookies["csrftoken"],
                        "username": username,
                        "password": password,
                        "next": _next_of(response.url),
                    },
                    allow_redirects=False,
                    timeout=10,
                )
                if response.status_code == 200:
                    return None  # the provider refused the password or the person
            if response.status_code not in (301, 302):
                return None
            url = urljoin(response.url, response.headers["Location"])
            if not url.startswith(self.base):
                return url
        raise AssertionError("the provider redirected too often")


def _next_of(url):
    from urllib.parse import parse_qs

    return parse_qs(urlsplit(url).query).get("next", ["/"])[0]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    key = new_rsa_key()
    port = _free_port()
    env = {
        **os.environ,
        "PROVIDER_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": pem(key),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", "the test OIDC provider did not start"
        yield TestProvider(base=f"http://127.0.0.1:{port}", key=key)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
