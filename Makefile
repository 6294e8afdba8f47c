# PiteBra: `make run` installs everything and serves the demo; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium

.PHONY: run test install system-check messages lint pytest clean

run: install messages
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	@echo "PiteBra: http://127.0.0.1:8000  (demo logins in README.md, password pitebra-demo)"
	DJANGO_DEBUG=1 PITEBRA_REQUIRE_2FA=0 $(MANAGE) runserver 127.0.0.1:8000

test: install messages lint pytest

install: system-check $(VENV)/.installed

# Says what a fresh Debian machine lacks, instead of failing later and obscurely.
system-check:
	@test -n "$(PYTHON)" || { echo "Missing: Python 3.11 (apt-get install python3)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Missing: Python 3.11 (found $$($(PYTHON) --version)); Django 5.2 is pinned for it."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  { echo "Missing: Python's venv module (apt-get install python3-venv)"; exit 1; }
	@command -v msgfmt >/dev/null || \
	  { echo "Missing: msgfmt for the Swedish translations (apt-get install gettext)"; exit 1; }
	@{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q 'libpango-1.0.so' || \
	  { echo "Missing: Pango for the PDF reports (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"; exit 1; }
	@{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q 'libharfbuzz-subset.so' || \
	  echo "Note: libharfbuzz-subset0 is missing; WeasyPrint warns without it (apt-get install libharfbuzz-subset0)."

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

messages: install
	$(BIN)/django-admin compilemessages --ignore=$(VENV) -v0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: install messages
	@test -x $(CHROMIUM) || echo "*** Chromium not found at $(CHROMIUM): the browser tour (tests/e2e) is SKIPPED. apt-get install chromium to run it. ***"
	$(BIN)/pytest --ignore=tests/e2e
	@# The tour runs in a process of its own: Playwright's event loop gives Django's ORM other
	@# connections than the rest of the suite uses, and PostgreSQL cannot drop a test database
	@# that a leftover connection still holds.
	$(BIN)/pytest tests/e2e

clean:
	rm -rf $(VENV) staticfiles
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
