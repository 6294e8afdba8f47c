"""`PITEBRA_CACHE_URL` → Django's CACHES entry, with Django's own cache backends only."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
    # Django's RedisCache, answering as a miss while the server is down.
    "redis": "pitebra.cache_backends.OptionalRedisCache",
    "rediss": "pitebra.cache_backends.OptionalRedisCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_from_url(url: str, *, key_prefix: str = "pitebra") -> dict:
    """`locmem://`, `db://table`, `redis://host:6379/0`, `file:///var/cache/x`, `dummy://`.

    Local memory suits one process; several app servers need `db://` (after
    `manage.py createcachetable`) or Redis to share it. `key_prefix` keeps installations that
    share one Redis apart.
    """
    parts = urlsplit(url or "locmem://")
    if parts.scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"PITEBRA_CACHE_URL: unknown scheme {parts.scheme!r}; use one of "
            + ", ".join(f"{scheme}://" for scheme in BACKENDS)
        )
    config = {"BACKEND": BACKENDS[parts.scheme], "KEY_PREFIX": key_prefix}
    if parts.scheme == "db":
        config["LOCATION"] = parts.netloc or "pitebra_cache"
    elif parts.scheme.startswith("redis"):
        config["LOCATION"] = url
    elif parts.scheme == "file":
        config["LOCATION"] = parts.path
    return config
