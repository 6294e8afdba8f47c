"""Operations: the cache from PITEBRA_CACHE_URL, the lock check, the Python finder."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pitebra.settings import cache_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("db://pitebra_cache", "django.core.cache.backends.db.DatabaseCache", "pitebra_cache"),
        (
            "redis://cache.example:6379/1",
            "pitebra.cache_backends.OptionalRedisCache",
            "redis://cache.example:6379/1",
        ),
        (
            # Django's RedisCache reads the password from the URL, as it is given.
            "rediss://:hemligt@cache.example:6380/2",
            "pitebra.cache_backends.OptionalRedisCache",
            "rediss://:hemligt@cache.example:6380/2",
        ),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", ""),
        (
            "file:///var/cache/pitebra",
            "django.core.cache.backends.filebased.FileBasedCache",
            "/var/cache/pitebra",
        ),
    ],
)
def test_the_cache_is_configured_from_its_url(url, backend, location):
    config = cache_settings(url, key_prefix="pitebra-a")
    assert config["BACKEND"] == backend
    assert config.get("LOCATION", "") == location
    assert config["KEY_PREFIX"] == "pitebra-a"
    assert "OPTIONS" not in config


def test_an_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="PITEBRA_CACHE_URL.*nosuch"):
        cache_settings("nosuch://x")


def test_the_cache_url_is_read_by_a_maintained_parser_not_our_own():
    """One parser of cache URLs: django-cache-url, pinned in the lock like every dependency."""
    assert not (ROOT / "pitebra" / "cache_url.py").exists()
    lock = (ROOT / "requirements.lock").read_text()
    assert "\ndjango-cache-url==" in lock


def test_nothing_another_app_server_needs_is_kept_in_one_process():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def _check_lock(pyproject, lock, *extras, tmp_path):
    (tmp_path / "tools").mkdir()
    script = tmp_path / "tools" / "check_lock.py"
    script.write_text((ROOT / "tools" / "check_lock.py").read_text())
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "the.lock").write_text(lock)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(script), "the.lock", *extras],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_repositorys_lock_files_pin_what_pyproject_asks_for():
    for lock, extras in [("requirements.lock", []), ("requirements-dev.lock", ["dev"])]:
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "tools" / "check_lock.py"), lock, *extras],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr


def test_a_dependency_missing_from_the_lock_stops_the_install(tmp_path):
    pyproject = (
        '[project]\nname = "x"\ndependencies = ["Django>=5.2,<6", "django-axes>=8,<9"]\n'
        '[project.optional-dependencies]\ndev = ["pytest>=8"]\n'
    )
    lock = "django==5.2.9 \\\n    --hash=sha256:00\npytest==7.4.0 \\\n    --hash=sha256:11\n"
    done = _check_lock(pyproject, lock, "dev", tmp_path=tmp_path)
    assert done.returncode == 1
    assert "django-axes<9,>=8 is not in the.lock" in done.stderr
    assert "pytest>=8 but the.lock pins 7.4.0" in done.stderr
    assert "make lock" in done.stderr


def test_make_finds_a_python_of_at_least_3_11():
    found = subprocess.run(  # noqa: S603
        [str(ROOT / "tools" / "find-python")], capture_output=True, text=True, check=True
    ).stdout.strip()
    version = subprocess.run(  # noqa: S603
        [found, "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == "True"


def test_every_dependency_is_named_once():
    """One line per dependency in pyproject.toml, whichever list it is in."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    names = [
        re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower().replace("_", "-") for line in lines
    ]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


FALLBACK = re.compile(r"""decode\(\s*["'](cp1252|windows-1252|latin-?1|iso-8859-1)""", re.I)


def test_the_text_fallback_is_written_once():
    """UTF-8, else Windows-1252 as Swedish Excel saves: `pitebra.text.decode_text` only."""
    from pitebra.text import decode_text

    assert decode_text("Öjebyn".encode()) == decode_text("Öjebyn".encode("cp1252")) == "Öjebyn"
    assert decode_text("\ufeffÅ".encode()) == "Å"
    written = [
        str(path.relative_to(ROOT))
        for app in ("pitebra", "security", "plans", "followup", "public", "demo")
        for path in (ROOT / app).rglob("*.py")
        if FALLBACK.search(path.read_text(encoding="utf-8"))
    ]
    assert written == ["pitebra/text.py"]
