# Chuangwei: `make demo` runs the product with the demo city, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

-include .env
export

MSG_IGNORE := --ignore .venv --ignore node_modules --ignore "chuangwei/static/vendor/*" --ignore "*/tests/*" --ignore "tests/*" --ignore bench

# mypy is strict where logic lives (ARCHITECTURE.md §9).
STRICT_FILES = chuangwei/lib/geo.py chuangwei/lib/env.py chuangwei/lib/excel.py chuangwei/lib/workcal.py \
	chuangwei/problems/sweeper.py chuangwei/problems/photos.py \
	$(wildcard chuangwei/*/services.py chuangwei/*/services/*.py chuangwei/*/selectors.py chuangwei/*/workflow.py)

.PHONY: help setup venv vendor migrate demo demo-data run test test-fast browser browser-deps lint typecheck \
        messages bench prod-check lock clean

help:
	@echo "make demo      install everything, load the demo city and serve http://$(HOST):$(PORT)"
	@echo "make test      run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint      ruff, mypy, migrations and API schema checks"
	@echo "make bench     benchmarks, results in docs/performance.md"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

chuangwei/static/vendor/.installed: node_modules/.installed scripts/vendor.mjs
	node scripts/vendor.mjs
	touch $@

vendor: chuangwei/static/vendor/.installed

setup: venv vendor

migrate: setup
	$(PY) manage.py migrate --noinput

demo-data: migrate
	$(PY) manage.py demo

demo: export DJANGO_DEBUG ?= 1
demo: demo-data
	@echo ""
	@echo "Chuangwei is running at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

run: export DJANGO_DEBUG ?= 1
run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests need Chromium: installed from Debian when we can, else make stops saying what
# to install (scripts/browser-deps.sh).
browser-deps:
	@PY=$(PY) scripts/browser-deps.sh

test: setup browser-deps
	$(PY) -m pytest -q -n 2 $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -q -m "not browser" $(PYTEST_ARGS)

browser: setup browser-deps
	$(PY) -m pytest -q -m browser $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SECRET_KEY=lint $(VENV)/bin/mypy $(STRICT_FILES)
	DJANGO_SECRET_KEY=lint $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=lint $(PY) manage.py spectacular --fail-on-warn --validate --file /dev/null

messages: setup
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete $(MSG_IGNORE)
	$(PY) manage.py compilemessages --ignore .venv

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

prod-check: setup
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_SECURE_COOKIES=1 \
	DJANGO_SSL_REDIRECT=1 DJANGO_HSTS_SECONDS=31536000 DJANGO_HSTS_INCLUDE_SUBDOMAINS=1 DJANGO_HSTS_PRELOAD=1 \
	$(PY) manage.py check --deploy --fail-level WARNING

# Regenerate the pinned lock files from requirements*.in (run after changing an .in file).
lock:
	rm -rf /tmp/cw-lock && $(PYTHON) -m venv /tmp/cw-lock
	/tmp/cw-lock/bin/pip install --quiet -r requirements.in
	/tmp/cw-lock/bin/pip freeze --exclude-editable | LC_ALL=C sort > requirements.txt
	/tmp/cw-lock/bin/pip install --quiet -r requirements-dev.in
	/tmp/cw-lock/bin/pip freeze --exclude-editable | LC_ALL=C sort | LC_ALL=C comm -23 - requirements.txt > requirements-dev.txt

clean:
	rm -rf $(VENV) node_modules chuangwei/static/vendor staticfiles
