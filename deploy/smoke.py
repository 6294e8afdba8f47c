"""Production smoke test: gunicorn with debug off on PostgreSQL, a background worker, real HTTP.

Starts `--servers` gunicorn instances (deploy/gunicorn.conf.py) on loopback ports and one
`db_worker`, all sharing one database, one media directory and one cache: a Redis server of
its own (Debian's redis-server, `--cache redis`, the default where it is installed) or the
database cache (`--cache db`), then:
logs in through the login form as each demo role and visits its main pages; renders a draft
report in the background; checks the security headers; and, with two servers, shows that a
login, an uploaded document, a queued report and a change made through one server are seen
through the other. Any 5xx, traceback or failed check is an error; exits 1 on any error.

Usage (make prod-smoke sets up the database): python deploy/smoke.py --servers 2
Standard library only, so it checks the installation rather than the test suite's packages,
and one file past 300 lines for the same reason: an operator copies and runs it as it is.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pitebra-demo"  # noqa: S105 - the demo's published password
HEADERS = {
    "Strict-Transport-Security": re.compile(r"max-age=\d{7,}"),
    "X-Content-Type-Options": re.compile(r"^nosniff$"),
    "X-Frame-Options": re.compile(r"^DENY$"),
    "Referrer-Policy": re.compile(r"same-origin"),
    "Content-Security-Policy": re.compile(r"script-src 'self'"),
}
errors = []


def fail(message):
    errors.append(message)
    print(f"  ERROR {message}", flush=True)


class Client:
    """A browser enough for Django: cookies, CSRF, forms; the proxy's X-Forwarded-Proto."""

    def __init__(self, port, cookies=None):
        self.port, self.cookies = port, cookies if cookies is not None else {}

    def request(self, method, path, body=None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-Proto": "https", "Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Referer"] = f"https://localhost{path}"
            headers["Origin"] = "https://localhost"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
                flags = value.lower()
                if key == "sessionid" and not ("secure" in flags and "httponly" in flags):
                    fail(f"the session cookie lacks Secure or HttpOnly: {value}")
                if key == "csrftoken" and "secure" not in flags:
                    fail(f"the CSRF cookie lacks Secure: {value}")
        connection.close()
        if response.status >= 500:
            fail(f"{method} {path} on :{self.port} answered {response.status}")
        return response, data

    def get(self, path, expect=200):
        response, data = self.request("GET", path)
        if expect and response.status != expect:
            fail(f"GET {path} on :{self.port} answered {response.status}, expected {expect}")
        return response, data

    def hidden_fields(self, path):
        """The form's hidden inputs as a browser would send them: CSRF token, edit versions."""
        _, data = self.get(path)
        fields = {}
        for tag in re.findall(rb"<input[^>]+>", data):
            if b'type="hidden"' in tag:
                name = re.search(rb'name="([^"]+)"', tag)
                value = re.search(rb'value="([^"]*)"', tag)
                if name:
                    fields[name.group(1).decode()] = value.group(1).decode() if value else ""
        return fields

    def post(self, path, fields, files=None, form_page=None):
        fields = {**self.hidden_fields(form_page or path), **fields}
        if not files:
            body = urlencode(fields).encode()
            return self.request("POST", path, body, "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data, kind) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def login(self, username):
        response, _ = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if response.status != 302:
            fail(f"login as {username} on :{self.port} answered {response.status}")


def check_headers(response, path):
    for name, pattern in HEADERS.items():
        value = response.getheader(name) or ""
        if not pattern.search(value):
            fail(f"{path}: header {name} is {value!r}")


def pitea(client):
    _, data = client.get("/")
    ids = re.findall(rb'href="/agreements/(\d+)/"', data)
    if not ids:
        fail("the home page names no agreement")
        return 0
    return int(ids[0])


def role_pages(port, agreement):
    base = f"/agreements/{agreement}"
    roles = {
        "folkhalsoradet": ["/", f"{base}/", f"{base}/reports/", f"{base}/reports/2024/v1.pdf"],
        "kommun": [
            f"{base}/",
            f"{base}/facts/",
            f"{base}/facts/documents/",
            f"{base}/situation/",
            f"{base}/plans/",
            f"{base}/plans/2025/",
            f"{base}/plans/2025/timeline/",
            f"{base}/followup/2024/",
            f"{base}/meetings/",
            f"{base}/reports/",
            f"{base}/reports/2024/preview/",
            "/calendar/",
            "/reminders/",
        ],
        "samordnare": [f"{base}/", f"{base}/reports/2024/edit/", "/admin/", f"{base}/export.zip"],
    }
    for username, paths in roles.items():
        client = Client(port)
        client.login(username)
        for path in paths:
            response, _ = client.get(path)
            check_headers(response, path)
        print(f"  {username}: {len(paths)} pages", flush=True)


def background_report(made_on, offered_on, agreement):
    """A draft queued through one server is rendered by the worker and offered by the other."""
    base = f"/agreements/{agreement}/reports/2025"
    response, _ = made_on.get(f"{base}/draft.pdf", expect=302)
    status_path = urlsplit(response.getheader("Location") or "").path
    if "/drafts/" not in status_path:
        fail(f"the draft was not queued: {response.status} {status_path}")
        return b""
    other = Client(offered_on.port, made_on.cookies)
    for _ in range(120):
        _, page = other.get(status_path)
        if b"drafts/" in page and b".pdf" in page and b"data-wait-for-rendering" not in page:
            break
        time.sleep(1)
    else:
        fail("the worker did not render the draft within two minutes")
        return b""
    response, pdf = other.get(status_path.rstrip("/") + ".pdf")
    if not pdf.startswith(b"%PDF"):
        fail("the rendered draft is not a PDF")
    return pdf


def two_servers(a, b, agreement, pdf):
    base = f"/agreements/{agreement}"
    one = Client(a)
    one.login("samordnare")
    two = Client(b, one.cookies)  # the same browser, sent to the other server
    response, _ = two.get(f"{base}/", expect=200)
    print("  a login on one server is valid on the other", flush=True)

    title = f"Röktest {secrets.token_hex(4)}"
    response, _ = one.post(
        f"{base}/facts/documents/",
        {"title": title, "date": "2025-01-15", "source": ""},
        files={"file": ("rok.pdf", pdf, "application/pdf")},
    )
    if response.status != 302:
        fail(f"the upload through :{a} answered {response.status}")
    _, listing = two.get(f"{base}/facts/documents/")
    found = re.search(rb'href="(/agreements/\d+/facts/documents/(\d+)/download/)"', listing)
    if title.encode() not in listing or not found:
        fail("the uploaded document is not listed through the other server")
    else:
        _, data = two.get(found.group(1).decode())
        if data != pdf:
            fail("the document downloaded through the other server differs")
    print("  a document uploaded through one server downloads through the other", flush=True)

    foreword = f"Förord {secrets.token_hex(4)}"
    edit = f"{base}/reports/2025/edit/"
    one.post(edit, {"foreword": foreword, "conclusions": "", "proposed_revisions": ""})
    _, preview = two.get(f"{base}/reports/2025/preview/document/")
    if foreword.encode() not in preview:
        fail("a change saved through one server is not shown by the other")
    print("  a change made through one server is shown by the other", flush=True)
    background_report(one, two, agreement)
    print("  a report queued on one server is rendered by the worker, offered by the other")


def start_redis(work):
    """A throwaway redis-server on a free loopback port, without persistence."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no", "--dir", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("redis-server did not start")


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, choices=[1, 2])
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument(
        "--cache",
        choices=["redis", "db"],
        default="redis" if shutil.which("redis-server") else "db",
        help="the shared cache: a redis-server of its own (default where installed) or db",
    )
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (make prod-smoke makes one).")
    work = Path(tempfile.mkdtemp(prefix="pitebra-smoke-"))
    redis = cache_url = None
    if options.cache == "redis":
        redis, cache_url = start_redis(work)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PITEBRA_CACHE_URL": cache_url or "db://pitebra_cache",
        "PITEBRA_CACHE_KEY_PREFIX": "smoke",
        "PYTHONWARNINGS": "ignore",
        # Logins here are by password only; the second factor has its own tests (security/).
        "PITEBRA_REQUIRE_2FA": "0",
    }
    manage("migrate", "--noinput", "-v0", env=env)
    manage("createcachetable", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("seed_demo", "--force", env=env)
    ports = [options.port + n for n in range(options.servers)]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    logs = [open(work / f"server-{port}.log", "w") for port in ports]  # noqa: SIM115
    worker_log = open(work / "worker.log", "w")  # noqa: SIM115
    processes = [
        subprocess.Popen(  # noqa: S603
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**env, "GUNICORN_WORKERS": "2"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    if redis is not None:
        processes.append(redis)
    processes.append(
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    )
    try:
        for port in ports:
            for _ in range(60):
                try:
                    if Client(port).request("GET", "/healthz")[0].status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.5)
            else:
                fail(f"gunicorn on :{port} did not answer /healthz")
        if not errors:
            print(
                f"== gunicorn on {ports}, debug off, PostgreSQL, {options.cache} cache", flush=True
            )
            for port in ports:
                health = Client(port).request("GET", "/healthz")[1]
                if health != b"ok":
                    fail(f"/healthz on :{port} answered {health!r}")
            client = Client(ports[0])
            client.login("kommun")
            agreement = pitea(client)
            role_pages(ports[0], agreement)
            pdf = background_report(client, client, agreement)
            print("  a draft report was rendered in the background", flush=True)
            if options.servers == 2:
                print("== two app servers", flush=True)
                two_servers(ports[0], ports[1], agreement, pdf)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for handle in [*logs, worker_log]:
            handle.close()
    for log in work.glob("*.log"):
        text = log.read_text()
        if "Traceback" in text:
            fail(f"{log.name} holds a traceback:\n{text[-3000:]}")
    print(f"== {len(errors)} errors (logs in {work})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
