"""Fails loudly when pyproject.toml asks for something the lock file does not pin.

Run by `make install` before anything is installed: a dependency added to pyproject.toml
without `make lock` must stop the install, not be silently left out of it.
Usage: python tools/check_lock.py LOCKFILE [EXTRA ...]
"""

import re
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # a bare venv: pip vendors the same library
    from pip._vendor.packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def main(lock_path, *extras):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    pins = {normalise(n): v for n, v in PIN.findall((ROOT / lock_path).read_text())}
    problems = []
    for line in wanted:
        requirement = Requirement(line)
        pinned = pins.get(normalise(requirement.name))
        if pinned is None:
            problems.append(f"{requirement} is not in {lock_path}")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement} but {lock_path} pins {pinned}")
    for problem in problems:
        print(f"pyproject.toml and the lock disagree: {problem}", file=sys.stderr)
    if problems:
        print("Run `make lock` and commit the lock files.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
