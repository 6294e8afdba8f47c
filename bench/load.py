"""Load for bench/run.py: wrk when the machine has it, else a bounded Python load; and logins."""

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse

HOST = "127.0.0.1"
CONNECTIONS = 8


def wait_for(port, path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = _get(port, path)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered on {HOST}:{port}{path} within {timeout} s")


def login(port, username, password):
    """Log in through the login form; returns the Cookie header of the new session."""
    status, headers, body = _get(port, "/accounts/login/")
    csrf_cookie = _cookie(headers, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = _cookie(response.getheaders(), "sessionid")
    if response.status != 302 or not session:
        raise RuntimeError(f"login as {username} failed: {response.status}")
    return f"sessionid={session}; csrftoken={csrf_cookie}"


def run(port, path, cookie, duration):
    """Requests per second, p50 and p99 latency (ms) and errors for `duration` seconds of load."""
    if shutil.which("wrk"):
        return _wrk(port, path, cookie, duration)
    return _python_load(port, path, cookie, duration)


def _wrk(port, path, cookie, duration):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(duration))}s"]
    command += ["--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603
        [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99_ms": _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "errors": errors,
        "tool": "wrk",
    }


def _python_load(port, path, cookie, duration):
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + duration
    headers = {"Cookie": cookie} if cookie else {}

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                ok = False
            with lock:
                latencies.append(time.perf_counter() - start)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "rps": round(len(latencies) / duration, 1),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "errors": errors[0],
        "tool": "python",
    }


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def _get(port, path):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.getheaders(), response.read()


def _cookie(headers, name):
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None
