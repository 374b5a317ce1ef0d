# Attaché: every task a developer or CI needs. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/attache
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: help install run migrate seed test test-postgres cluster-check browser lint format messages check-deploy audit bench bench-smoke wrk clean serve-prod worker-prod

help:
	@echo "make run            start Attaché with demo data on http://127.0.0.1:$(PORT)/en/ (web + task worker)"
	@echo "make test           run the whole test suite on SQLite (installs what it needs)"
	@echo "make test-postgres  run the same suite on PostgreSQL and Redis ($(PG_URL), $(TEST_REDIS_URL))"
	@echo "make cluster-check  two web servers and two task clusters on PostgreSQL and Redis: a 200-way registration race, workers killed mid-batch"
	@echo "make lint           ruff"
	@echo "make audit          known vulnerabilities in the pinned dependencies (pip-audit, needs the network) and the deploy check"
	@echo "make messages       extract and compile the ar/fr translations"
	@echo "make bench          print the benchmark figures (gunicorn + wrk on a large data set first; writes bench/RESULTS.md)"
	@echo "make bench-smoke    the same on a tiny data set, in a minute (CI)"
	@echo "make serve-prod     production settings under gunicorn on http://127.0.0.1:$(PORT), on PostgreSQL and Redis (local benchmarks only)"
	@echo "make worker-prod    the task worker (qcluster) with the same settings"

$(PY):
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian/Ubuntu run 'sudo apt-get install -y python3-venv'."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

# Ctrl-C reaches both processes (same process group); the trap also stops the worker if the server exits.
run: seed
	@echo "Attaché: http://127.0.0.1:$(PORT)/en/  (CMS: /cms/, logins in README.md). Ctrl-C stops it."
	@export PORT=$(PORT); $(PY) manage.py qcluster & QCLUSTER=$$!; \
	trap 'kill $$QCLUSTER 2>/dev/null; wait $$QCLUSTER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium drives the browser tests (Playwright never downloads a browser of its own);
# poppler-utils renders the PDFs the tests make, as a person would look at them.
browser:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing for the tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need$$missing. Run: sudo apt-get install -y$$missing   then make test again."; \
	    exit 1; \
	  fi; \
	fi

test: install browser
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install browser
	DATABASE_URL=$(PG_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

# Also part of make test and make test-postgres; this runs just these two, on PostgreSQL and Redis.
cluster-check: install
	DATABASE_URL=$(PG_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -s tests/attache/test_chaos.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages --all --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'static/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

check-deploy: install
	DJANGO_SETTINGS_MODULE=attache.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
	ALLOWED_HOSTS=attache.example.org $(PY) manage.py check --deploy --fail-level WARNING

# pip-audit runs in a virtual environment of its own (its dependencies stay out of the project's) against exactly
# what .venv holds, pinned by pyproject.toml. --strict: a package it could not look up (no network, an index
# without the vulnerability API) fails the audit instead of passing silently.
AUDIT_VENV := .venv-audit
audit: check-deploy
	@[ -x $(AUDIT_VENV)/bin/pip-audit ] || { $(PYTHON) -m venv $(AUDIT_VENV) && $(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1; }
	@mkdir -p var
	$(VENV)/bin/pip freeze --exclude-editable > var/audit-requirements.txt
	$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r var/audit-requirements.txt \
	  || { echo "make audit: see above. 'could not be audited' means pip-audit could not reach its vulnerability database (PyPI's JSON API, or OSV with PIP_AUDIT_VULNERABILITY_SERVICE=osv)."; exit 1; }

# The benchmarks need wrk (the load generator) beside PostgreSQL and Redis.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "The benchmarks need wrk. Run: sudo apt-get install -y wrk"; exit 1; fi; }

bench: install wrk
	$(PY) bench/scale.py
	$(PY) bench/run.py
	$(PY) bench/participants.py
	$(PY) bench/pack.py
	$(PY) bench/evaluations.py
	$(PY) bench/alumni.py
	$(PY) bench/shortlist.py
	$(PY) bench/selection.py

# A smoke run of the scale benchmark on a tiny data set, and the shortlist assistant once (CI): figures printed,
# nothing asserted.
bench-smoke: install wrk
	$(PY) bench/scale.py --tiny --seconds 1
	$(PY) bench/shortlist.py --smoke

clean:
	rm -rf var/test.sqlite3* var/screenshots .pytest_cache

# --- Production settings on this machine, for the benchmarks (docs/deploy.md) ---
# Plain HTTP on loopback, hence SECURE_SSL_REDIRECT=false: never a way to serve real users. The secret key is
# generated once into var/ so that the web server and the worker sign and check the same tokens.
SERVE_DATABASE_URL = $(or $(DATABASE_URL),$(PG_URL))
SERVE_REDIS_URL = $(or $(REDIS_URL),redis://127.0.0.1:6379/1)
SERVE_SECRET := var/serve-prod.secret
SERVE_ENV = DJANGO_SETTINGS_MODULE=attache.settings.production DATABASE_URL='$(SERVE_DATABASE_URL)' \
	REDIS_URL='$(SERVE_REDIS_URL)' SECRET_KEY="$$(cat $(SERVE_SECRET))" ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=false

$(SERVE_SECRET):
	@mkdir -p $(@D)
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(60))' > $@

serve-prod: install $(SERVE_SECRET)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Attaché (production settings, gunicorn): http://127.0.0.1:$(PORT)/en/ on $(SERVE_DATABASE_URL), $(SERVE_REDIS_URL)"
	$(SERVE_ENV) GUNICORN_BIND=127.0.0.1:$(PORT) exec $(VENV)/bin/gunicorn -c gunicorn.conf.py

worker-prod: install $(SERVE_SECRET)
	$(SERVE_ENV) exec $(PY) manage.py qcluster
