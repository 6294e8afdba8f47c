"""Run the test SAML identity provider: `python -m tests.saml_idp.serve PORT`.

pysaml2's own IdP (saml2.server.Server) behind a small WSGI app: metadata, single sign-on
(HTTP-Redirect in, a login form, the signed assertion back by HTTP-POST) and single logout
(HTTP-Redirect both ways, signed). Environment: IDP_KEY_FILE, IDP_CERT_FILE (its signing key)
and IMPOSTOR_KEY_FILE, IMPOSTOR_CERT_FILE (another key under the same name, for forgeries).
Prints 'ready' when up. The tests drive it through /test/setup (people, service providers)."""

import html
import json
import secrets
import sys
import threading
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.s_utils import UnknownPrincipal
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
SESSION_COOKIE = "idp_session"


class IdentityProvider:
    """The IdP's state: its people, the service providers it knows, its own sessions."""

    def __init__(self, base, key_file, cert_file, impostor_key_file, impostor_cert_file):
        self.base = base
        self.keys = {
            "idp": (key_file, cert_file),
            "impostor": (impostor_key_file, impostor_cert_file),
        }
        self.people = {}  # username -> {password, subject, mail, givenName, sn, forge}
        self.sp_metadata = []
        self.sessions = {}  # cookie -> username
        self.lock = threading.Lock()
        self.want_requests_signed = False
        self.configure()

    @property
    def entity_id(self):
        return f"{self.base}/metadata"

    def server(self, *, key="idp", lifetime_minutes=15):
        import shutil

        key_file, cert_file = self.keys[key]
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
                "key_file": key_file,
                "cert_file": cert_file,
                "service": {
                    "idp": {
                        # As Sweden Connect asks: RSA with SHA-256 (pysaml2's default: SHA-1).
                        "signing_algorithm": SIG_RSA_SHA256,
                        "digest_algorithm": DIGEST_SHA256,
                        "endpoints": {
                            "single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(f"{self.base}/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "want_authn_requests_signed": self.want_requests_signed,
                        "policy": {"default": {"lifetime": {"minutes": lifetime_minutes}}},
                    }
                },
                "metadata": {"inline": list(self.sp_metadata)},
            }
        )
        return Server(config=config)

    def configure(self):
        self.idp = self.server()
        self.impostor = self.server(key="impostor")
        self.expired = self.server(lifetime_minutes=-10)

    # -- the WSGI app ------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            if environ.get("CONTENT_TYPE", "").startswith("application/json"):
                form = json.loads(body)
            else:
                form = {k: v[0] for k, v in parse_qs(body).items()}
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        session = cookie[SESSION_COOKIE].value if SESSION_COOKIE in cookie else None
        try:
            with self.lock:
                status, headers, body = self.route(path, method, query, form, session)
        except Exception as error:  # the tests read the reason
            status, headers, body = "400 Bad Request", [], f"{type(error).__name__}: {error}"
        headers = [("Content-Type", "text/html; charset=utf-8"), *headers]
        start_response(status, headers)
        return [body.encode()]

    def route(self, path, method, query, form, session):
        if path == "/metadata":
            xml = str(entity_descriptor(self.idp.config))
            return "200 OK", [("Content-Type", "application/samlmetadata+xml")], xml
        if path == "/test/setup" and method == "POST":
            return self.setup(form)
        if path == "/sso" and method == "GET":
            self.authn_request(query)
            return "200 OK", [], login_form(query)
        if path == "/sso/login" and method == "POST":
            return self.login(form)
        if path == "/slo" and method == "GET":
            return self.logout(query, session)
        if path == "/test/logout" and method == "GET":
            return self.logout_at_idp(query["username"], query["sp"], query.get("binding"))
        return "404 Not Found", [], "not found"

    def setup(self, data):
        for person in data.get("people", []):
            self.people[person["username"]] = {
                "password": "idp-pw-123",
                "forge": "",
                **self.people.get(person["username"], {}),
                **person,
            }
        if "sp_metadata" in data:
            self.sp_metadata = data["sp_metadata"]
        if "want_requests_signed" in data:
            self.want_requests_signed = data["want_requests_signed"]
        if "sp_metadata" in data or "want_requests_signed" in data:
            self.configure()  # ~0.6 s: only when what the servers were made from changes
        return "200 OK", [("Content-Type", "application/json")], json.dumps({"ok": True})

    def authn_request(self, fields):
        return self.idp.parse_authn_request(
            fields["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=fields.get("RelayState"),
            sigalg=fields.get("SigAlg"),
            signature=fields.get("Signature"),
        ).message

    def login(self, form):
        person = self.people.get(form.get("username", ""))
        if person is None or person["password"] != form.get("password"):
            return "200 OK", [], login_form(form, error="Fel användarnamn eller lösenord")
        request = self.authn_request(form)
        forge = person["forge"]
        server = {"wrong_signature": self.impostor, "expired": self.expired}.get(forge, self.idp)
        session_index = secrets.token_hex(8)
        response = server.create_authn_response(
            identity={key: [person[key]] for key in ("mail", "givenName", "sn") if person.get(key)},
            in_response_to=request.id,
            destination=request.assertion_consumer_service_url,
            sp_entity_id=person.get("audience") or request.issuer.text,
            name_id=NameID(
                format=NAMEID_FORMAT_PERSISTENT,
                text=person["subject"],
                name_qualifier=self.entity_id,
                sp_name_qualifier=request.issuer.text,
            ),
            authn={"class_ref": LOA3, "authn_auth": self.entity_id},
            session_index=session_index,
            sign_assertion=True,
            sign_response=True,
        )
        info = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            request.assertion_consumer_service_url,
            form.get("RelayState", ""),
            response=True,
        )
        cookie = secrets.token_hex(16)
        self.sessions[cookie] = form["username"]
        headers = [("Set-Cookie", f"{SESSION_COOKIE}={cookie}; Path=/; HttpOnly")]
        return "200 OK", headers, info["data"]

    def logout(self, query, session):
        """A service provider's LogoutRequest (signed, by HTTP-Redirect): end the IdP's session
        and answer with a signed LogoutResponse by HTTP-Redirect."""
        request = self.idp.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        subject = request.message.name_id.text
        if not any(p["subject"] == subject for p in self.people.values()):
            raise UnknownPrincipal(subject)
        self.sessions = {k: v for k, v in self.sessions.items() if k != session}
        response = self.idp.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        info = self.idp.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            response.destination,
            query.get("RelayState", ""),
            response=True,
            sign=True,
        )
        return "302 Found", [("Location", dict(info["headers"])["Location"])], ""

    def logout_at_idp(self, username, sp_entity_id, binding=None):
        """The person logs out at the IdP: a signed LogoutRequest to the service provider, by
        HTTP-Redirect (a redirect) or HTTP-POST (a page whose form posts it)."""
        person = self.people[username]
        server = self.impostor if person["forge"] == "wrong_signature" else self.idp
        post = binding == "post"
        destination = next(
            iter(
                server.metadata.single_logout_service(
                    sp_entity_id, BINDING_HTTP_POST if post else BINDING_HTTP_REDIRECT, "spsso"
                )
            )
        )["location"]
        _id, request = server.create_logout_request(
            destination,
            sp_entity_id,
            name_id=NameID(
                format=NAMEID_FORMAT_PERSISTENT,
                text=person["subject"],
                name_qualifier=self.entity_id,
                sp_name_qualifier=sp_entity_id,
            ),
            sign=post,  # HTTP-Redirect signs the query string instead
        )
        if post:
            info = server.apply_binding(BINDING_HTTP_POST, str(request), destination, "")
            return "200 OK", [], info["data"]
        info = server.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, "", sign=True)
        return "302 Found", [("Location", dict(info["headers"])["Location"])], ""


def login_form(fields, error=""):
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(fields[name])}">'
        for name in ("SAMLRequest", "RelayState", "SigAlg", "Signature")
        if fields.get(name)
    )
    return (
        f'<html><body><p class="error">{html.escape(error)}</p>'
        f'<form method="post" action="/sso/login">{hidden}'
        '<input name="username"><input name="password" type="password">'
        "<button>Logga in</button></form></body></html>"
    )


def main():
    import os
    from wsgiref.simple_server import make_server

    from tests.oidc_provider.serve import QuietHandler, ThreadingServer

    port = int(sys.argv[1])
    app = IdentityProvider(
        f"http://127.0.0.1:{port}",
        os.environ["IDP_KEY_FILE"],
        os.environ["IDP_CERT_FILE"],
        os.environ["IMPOSTOR_KEY_FILE"],
        os.environ["IMPOSTOR_CERT_FILE"],
    )
    server = make_server("127.0.0.1", port, app, ThreadingServer, handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
