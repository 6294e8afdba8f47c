"""Redis as the shared cache: a real `redis-server` (Debian's) started for these tests.

Pages are cached in Redis under the installation's key prefix, two installations sharing one
Redis never see each other's keys, and when Redis goes down the app keeps serving pages,
uncached, and `/healthz` says so.
"""

import logging
import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from pitebra.models import Membership
from pitebra.settings import cache_settings

from ..factories import make_activity, make_goal, make_member, make_plan, make_strategy

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port):
    process = subprocess.Popen(  # noqa: S603 – our own binary and arguments
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.02)
    process.kill()
    pytest.fail("redis-server did not start")


@pytest.fixture(scope="module")
def redis_server():
    """A throwaway redis-server on a free port (no persistence), stopped after the module."""
    if not os.path.exists(REDIS):
        if os.environ.get("PITEBRA_REQUIRE_E2E"):
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = _start(port)
    yield {"port": port, "process": process}
    process.terminate()
    process.wait(10)


def _caches(url, prefix="pitebra-test", **options):
    config = cache_settings(url, key_prefix=prefix)
    config["OPTIONS"] = {"retry_after": 0, **options}
    return {"default": config}


@pytest.fixture
def redis_cache(redis_server):
    # The server is the module's: another test's installations may have left keys in it.
    _client(redis_server).flushdb()
    with override_settings(CACHES=_caches(f"redis://127.0.0.1:{redis_server['port']}/0")):
        cache.clear()
        yield cache


@pytest.fixture
def plan_page(agreement, client):
    plan = make_plan(agreement, 2025)
    make_activity(make_strategy(make_goal(plan)), title="Nattvandring i Redis")
    client.force_login(make_member(agreement, Membership.Role.MEMBER, username="redismedlem"))
    return reverse("plans:plan-detail", args=[agreement.pk, 2025])


def _client(redis_server):
    import redis

    return redis.Redis(host="127.0.0.1", port=redis_server["port"])


@pytest.mark.django_db(transaction=True)
def test_pages_are_cached_in_redis_under_the_installations_prefix(
    redis_server, redis_cache, plan_page, client
):
    assert "Nattvandring i Redis" in client.get(plan_page).content.decode()
    keys = [key.decode() for key in _client(redis_server).keys("*")]
    assert keys and all(key.startswith("pitebra-test:") for key in keys)
    assert any(":pitebra:part:" in key for key in keys)


def test_two_installations_on_one_redis_keep_apart(redis_server):
    url = f"redis://127.0.0.1:{redis_server['port']}/0"
    with override_settings(
        CACHES={**_caches(url, "norrbotten"), "other": _caches(url, "skane")["default"]}
    ):
        caches["default"].set("part", "Norrbottens sida")
        caches["other"].set("part", "Skånes sida")
        assert caches["default"].get("part") == "Norrbottens sida"
        assert caches["other"].get("part") == "Skånes sida"
        caches["other"].clear()  # one installation's clear leaves the other's keys
        assert caches["default"].get("part") == "Norrbottens sida"
        assert caches["other"].get("part") is None


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_are_served_uncached_and_healthz_says_so(plan_page, client, caplog):
    closed = _free_port()  # nothing listens there: connection refused, as with a dead server
    with override_settings(CACHES=_caches(f"redis://127.0.0.1:{closed}/0")):
        with caplog.at_level(logging.WARNING, logger="pitebra.cache_backends"):
            for _ in range(2):
                response = client.get(plan_page)
                assert response.status_code == 200
                assert "Nattvandring i Redis" in response.content.decode()
        assert "Redis cache unavailable" in caplog.text
        health = client.get("/healthz")
    assert health.status_code == 200
    assert health.content.decode().splitlines() == [
        "ok",
        "cache unavailable: pages are served uncached",
    ]


@pytest.mark.django_db(transaction=True)
def test_redis_stopped_and_started_again_is_used_again(plan_page, client):
    port = _free_port()
    process = _start(port)
    try:
        with override_settings(CACHES=_caches(f"redis://127.0.0.1:{port}/0")):
            assert client.get("/healthz").content == b"ok"
            process.terminate()
            process.wait(10)
            assert client.get(plan_page).status_code == 200
            assert b"cache unavailable" in client.get("/healthz").content
            process = _start(port)
            assert client.get("/healthz").content == b"ok"
            client.get(plan_page)
            import redis

            assert redis.Redis(host="127.0.0.1", port=port).keys("pitebra-test:*")
    finally:
        process.terminate()
        process.wait(10)


def test_a_hung_server_costs_a_request_at_most_the_socket_timeout(redis_server):
    """A server that accepts but never answers (here: paused with SIGSTOP) is given up on."""
    url = f"redis://127.0.0.1:{redis_server['port']}/0"
    with override_settings(CACHES=_caches(url, socket_timeout=0.2, retry_after=60)):
        caches["default"].set("warm", "1")  # the connection is open before the server hangs
        redis_server["process"].send_signal(19)  # SIGSTOP
        try:
            started = time.monotonic()
            assert caches["default"].get("anything") is None
            assert caches["default"].get("anything else") is None  # not tried again: down
            assert time.monotonic() - started < 2
        finally:
            redis_server["process"].send_signal(18)  # SIGCONT
