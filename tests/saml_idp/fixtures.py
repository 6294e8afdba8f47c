"""The `saml_idp` fixture: the test SAML identity provider (pysaml2's IdP) in its own process,
with a signing key made here and an impostor's key under the same name."""

import datetime
import os
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.oidc_provider.fixtures import _free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "idp-pw-123"  # noqa: S105


def key_and_cert(directory, name):
    """A private key and a self-signed certificate, as PEM files; returns their paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = Path(directory) / f"{name}.key", Path(directory) / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")


@dataclass
class TestIdP:
    base: str

    @property
    def metadata_url(self):
        return f"{self.base}/metadata"

    @property
    def entity_id(self):
        return self.metadata_url

    def metadata(self):
        return requests.get(self.metadata_url, timeout=10).text

    def setup(self, *, people=(), sp_metadata=None, want_requests_signed=None):
        """Create or change people: username, subject (the persistent NameID), mail,
        givenName, sn, and `forge` (wrong_signature, expired) or `audience` to misbehave."""
        data = {"people": [dict(person) for person in people]}
        if sp_metadata is not None:
            data["sp_metadata"] = list(sp_metadata)
        if want_requests_signed is not None:
            data["want_requests_signed"] = want_requests_signed
        response = requests.post(f"{self.base}/test/setup", json=data, timeout=10)
        response.raise_for_status()

    def sign_in(self, location, username, password=PASSWORD, session=None):
        """The person signs in at the IdP's page that `location` (our redirect) leads to;
        returns the form the IdP's page posts back to us: (action, fields)."""
        session = session or requests.Session()
        page = session.get(location, timeout=10)
        assert page.status_code == 200, page.text
        form = _Form()
        form.feed(page.text)
        answer = session.post(
            urljoin(page.url, form.action),
            data={**form.fields, "username": username, "password": password},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        back = _Form()
        back.feed(answer.text)
        return back.action, back.fields

    def logout_at_idp(self, username, sp_entity_id, binding="redirect"):
        """The person logs out at the IdP: where it sends the browser (our logout URL), or
        for HTTP-POST the form its page posts to us: (action, fields)."""
        response = requests.get(
            f"{self.base}/test/logout",
            params={"username": username, "sp": sp_entity_id, "binding": binding},
            allow_redirects=False,
            timeout=10,
        )
        if binding == "post":
            form = _Form()
            form.feed(response.text)
            return form.action, form.fields
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory):
    directory = tmp_path_factory.mktemp("saml_idp")
    key_file, cert_file = key_and_cert(directory, "idp")
    impostor_key, impostor_cert = key_and_cert(directory, "impostor")
    port = _free_port()
    env = {
        **os.environ,
        "IDP_KEY_FILE": key_file,
        "IDP_CERT_FILE": cert_file,
        "IMPOSTOR_KEY_FILE": impostor_key,
        "IMPOSTOR_CERT_FILE": impostor_cert,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.saml_idp.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", "the test SAML IdP did not start"
        yield TestIdP(base=f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
