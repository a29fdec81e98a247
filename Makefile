# Panjereh — two commands from a fresh machine:  make run  ·  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := FLASK_APP=wsgi $(VENV)/bin/flask
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint test-db install install-dev translations chromium vendor extract bench load clean

$(VENV)/.runtime: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt constraints.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Compiled catalogues are built, not committed.
translations: $(VENV)/.runtime
	$(PY) -m babel.messages.frontend compile -d app/translations --statistics

# Debian's Chromium for the browser tests (never `playwright install`).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	fi

run: install translations
	$(FLASK) db upgrade
	$(FLASK) seed --if-empty
	@# The task consumer (imports, match index, alerts, mail) runs beside the server and stops with it.
	$(VENV)/bin/huey_consumer app.tasks.huey --workers 2 --worker-type thread & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Style and bugs (ruff), then the import rules (import-linter): both configured in pyproject.toml.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install-dev translations chromium lint
	$(PY) -m pytest -q

# The database tests again, on PostgreSQL (CI calls this after `make test`).
PANJEREH_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
test-db: install-dev translations
	PANJEREH_TEST_DATABASE_URL=$(PANJEREH_TEST_DATABASE_URL) $(PY) -m pytest -q -m db

# Re-extract messages after changing strings; then translate app/translations/fa/LC_MESSAGES/messages.po.
extract: install
	$(FLASK) translate extract

# Refresh the vendored front-end files from npm (they are committed; nothing is fetched at run time).
vendor:
	npm install --no-save --no-audit --no-fund
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.rtl.min.css node_modules/bootstrap/LICENSE app/static/vendor/bootstrap/
	sed -i 's#/\*\# sourceMappingURL=.*\*/##' app/static/vendor/bootstrap/*.css
	cp node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Regular.woff2 node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Bold.woff2 node_modules/vazirmatn/OFL.txt app/static/vendor/vazirmatn/
	mkdir -p tests/e2e/vendor
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/e2e/vendor/

bench: install-dev
	$(PY) bench/bench_chains.py
	$(PY) bench/bench_complexity.py
	$(PY) bench/bench_matching.py
	$(PY) bench/bench_import.py

# Load and fault proof (bench/load/run.py): its own PostgreSQL cluster on 55432 and gunicorn on 58000, national-scale
# data, locust at 32 connections, the query plans, then the faults. Not part of `make test`. LOAD_ARGS=--scale 0.1 …
load: install-dev translations
	OPENBLAS_NUM_THREADS=1 $(PY) bench/load/run.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance artifacts
