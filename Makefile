# PiteBra: `make run` installs everything and serves the demo; `make test` runs every check.
# The newest Python >= 3.11 on the machine (pyenv's versions count), unless PYTHON= is given.
PYTHON ?= $(shell tools/find-python)
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium

# Locked installs: pip installs exactly these versions, checked against their hashes.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
UV := .venv-tools/bin/uv
PIP_VERSION := 25.3

.PHONY: run test install system-check messages lint pytest unit tour clean lock prod-smoke prod-local

# runserver and the background worker (draft and published PDFs) side by side; Ctrl-C stops both.
run: install messages
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	@echo "PiteBra: http://127.0.0.1:8000  (demo logins in README.md, password pitebra-demo)"
	DJANGO_DEBUG=1 PITEBRA_REQUIRE_2FA=0 $(MANAGE) db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=1 PITEBRA_REQUIRE_2FA=0 $(MANAGE) runserver 127.0.0.1:8000

test: install messages lint pytest

install: system-check $(VENV)/.installed

# Says what a fresh Debian machine lacks, instead of failing later and obscurely.
system-check:
	@test -n "$(PYTHON)" || { echo "Missing: Python 3.11, 3.12 or 3.13 with its venv module (apt-get install python3 python3-venv), or say which one: make PYTHON=/path/to/python3"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Missing: Python 3.11 or newer (PYTHON=$(PYTHON) is $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  { echo "Missing: Python's venv module (apt-get install python3-venv)"; exit 1; }
	@command -v msgfmt >/dev/null || \
	  { echo "Missing: msgfmt for the Swedish translations (apt-get install gettext)"; exit 1; }
	@{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q 'libpango-1.0.so' || \
	  { echo "Missing: Pango for the PDF reports (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"; exit 1; }
	@{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q 'libharfbuzz-subset.so' || \
	  echo "Note: libharfbuzz-subset0 is missing; WeasyPrint warns without it (apt-get install libharfbuzz-subset0)."

# A venv made with another Python than PYTHON is made again, not reused.
$(VENV)/.installed: pyproject.toml $(DEV_LOCK) tools/check_lock.py
	@$(PYTHON) tools/check_lock.py $(LOCK) && $(PYTHON) tools/check_lock.py $(DEV_LOCK) dev
	@test -x $(BIN)/python && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" = "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ] || \
	  { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	@# Python 3.11's own pip (23.2) takes a dependency's extra (weasyprint's fonttools[woff]) as
	@# unpinned once a newer release than the lock's exists, and refuses the hashed install.
	$(BIN)/python -m pip install --quiet 'pip==$(PIP_VERSION)'
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip check
	touch $@

# Refreshes both lock files from pyproject.toml (newest allowed versions, one lock for
# Python 3.11-3.13 with markers). `make lock UPGRADE="--upgrade-package django"` moves one.
lock:
	@test -x $(UV) || { $(PYTHON) -m venv .venv-tools && .venv-tools/bin/python -m pip install --quiet 'uv>=0.9,<1'; }
	$(UV) pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --quiet $(UPGRADE) -o $(LOCK)
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --generate-hashes --quiet $(UPGRADE) -o $(DEV_LOCK)

messages: install
	$(BIN)/django-admin compilemessages --ignore='.venv*' -v0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The unit suite alone (CI runs it on every Python the machine has). PYTEST_WORKERS processes
# (pytest-xdist) share it out a module at a time; each has its own test database.
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadfile
# The tour's tests are shared out one at a time: each starts from the demo on its own (its
# worker's live server, test database and browser), and a browser spends much of its time
# waiting, so two of them keep two cores busier than one.
TOUR_XDIST := -n $(PYTEST_WORKERS) --dist load
unit: install messages
	$(BIN)/pytest --ignore=tests/e2e -q $(XDIST)

pytest: install messages
	@test -x $(CHROMIUM) || echo "*** Chromium not found at $(CHROMIUM): the browser tour (tests/e2e) is SKIPPED. apt-get install chromium to run it. ***"
	$(BIN)/pytest --ignore=tests/e2e $(XDIST)
	@# The tour runs in a process of its own: Playwright's event loop gives Django's ORM other
	@# connections than the rest of the suite uses, and PostgreSQL cannot drop a test database
	@# that a leftover connection still holds.
	$(BIN)/pytest tests/e2e $(TOUR_XDIST)

# The browser tour alone (CI runs it on PostgreSQL as well when CI_FULL=1).
tour: install messages
	$(BIN)/pytest tests/e2e $(TOUR_XDIST)

# gunicorn (debug off) on PostgreSQL with a background worker, through real HTTP: each role's
# pages, a report rendered in the background, security headers, and two app servers sharing
# one database (deploy/smoke.py). Needs the local PostgreSQL (README: CI).
SMOKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pitebra_smoke
prod-smoke: install messages
	@case "$(SMOKE_DATABASE_URL)" in postgres://postgres@127.0.0.1:5432/*) \
	  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $(notdir $(SMOKE_DATABASE_URL)) WITH (FORCE)" \
	    -c "CREATE DATABASE $(notdir $(SMOKE_DATABASE_URL))";; esac
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(BIN)/python deploy/smoke.py --servers 2

# Production settings on one's own machine, for IT staff to try: debug off, collected static
# files, gunicorn and the worker on 127.0.0.1 only, no redirect to https (there is no TLS
# here). The demo data, a throwaway secret key; DATABASE_URL as in production if set.
PROD_LOCAL_PORT ?= 8001
prod-local: install messages
	@echo "PiteBra with production settings: http://localhost:$(PROD_LOCAL_PORT)  (Ctrl-C stops it)"
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-prod-local-$$(date +%s%N)}" \
	  DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 \
	  DJANGO_HSTS_PRELOAD=0 PITEBRA_REQUIRE_2FA=0; \
	  $(MANAGE) migrate --noinput && $(MANAGE) collectstatic --noinput -v0 && $(MANAGE) seed_demo --force && \
	  { $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	    $(BIN)/gunicorn pitebra.wsgi --bind 127.0.0.1:$(PROD_LOCAL_PORT) --workers 2; }

clean:
	rm -rf $(VENV) .venv-3.* .venv-tools staticfiles
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
