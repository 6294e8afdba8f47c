"""Django's own RedisCache, made optional: when Redis is down the app serves pages uncached.

The page cache only saves work (`pitebra.pagecache` keys every part on data versions kept in
the database), so a cache that does not answer must cost a render, never an error page. Every
call that fails to reach Redis is logged and answered as a miss (a read) or ignored (a write);
after a failure Redis is left alone for `RETRY_AFTER` seconds, so a dead server does not add a
connection timeout to every request. `/healthz` reports the state (`status()`).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Seconds to wait before trying a server that failed. Short sockets: a hung server costs a
# request at most this much before it counts as down.
RETRY_AFTER = 5.0
SOCKET_TIMEOUT = 0.5


def _connection_errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class OptionalRedisCache(RedisCache):
    """RedisCache whose every failure to reach the server is a logged miss."""

    def __init__(self, server, params):
        params = {**params}
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        self.retry_after = float(options.pop("retry_after", RETRY_AFTER))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_since = None

    def status(self) -> str:
        """'ok', or 'unavailable' while the server did not answer (checked now if due)."""
        self._call(lambda: self._cache.get_client(write=True).ping(), None)
        return "unavailable" if self._down_since is not None else "ok"

    def _call(self, action, default):
        if self._down_since is not None and time.monotonic() - self._down_since < self.retry_after:
            return default
        try:
            result = action()
        except _connection_errors() as error:
            if self._down_since is None:
                logger.warning("Redis cache unavailable, serving pages uncached: %s", error)
            self._down_since = time.monotonic()
            return default
        if self._down_since is not None:
            logger.warning("Redis cache answers again")
            self._down_since = None
        return result

    def add(self, key, value, timeout=None, version=None):
        return self._call(
            lambda: super(OptionalRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key, default=None, version=None):
        return self._call(
            lambda: super(OptionalRedisCache, self).get(key, default, version), default
        )

    def set(self, key, value, timeout=None, version=None):
        self._call(lambda: super(OptionalRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=None, version=None):
        return self._call(
            lambda: super(OptionalRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._call(lambda: super(OptionalRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._call(lambda: super(OptionalRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._call(lambda: super(OptionalRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read is not there: as for a missing key.
        result = self._call(lambda: super(OptionalRedisCache, self).incr(key, delta, version), None)
        if result is None:
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=None, version=None):
        return self._call(
            lambda: super(OptionalRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._call(lambda: super(OptionalRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        """Only this installation's keys (its KEY_PREFIX): others may share the database."""

        def action():
            client = self._cache.get_client(write=True)
            keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
            return True

        return self._call(action, False)
