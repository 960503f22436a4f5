# PEG — two commands: `make run` and `make test`; `make serve` in production.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
VENV_CFG := $(VENV)/pyvenv.cfg
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# make run PORT=8001 HOST=0.0.0.0; make run DEBUG=1 for Django's debug pages instead of the Italian ones.
HOST ?= 127.0.0.1
PORT ?= 8000
DEBUG ?= 0
# gunicorn workers for make serve: 2 × cores + 1 unless WORKERS says otherwise.
WORKERS ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || echo 1) + 1)))

# make run's own secret key, made once, kept out of git (var/ is ignored).
LOCAL_SECRET := var/secret_key
# make run serves plain http on this machine: no HTTPS redirect, HSTS or HTTPS-only cookies.
LOCAL_ENV = DEBUG=$(DEBUG) SECRET_KEY="$$(cat $(LOCAL_SECRET))" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}" \
	SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0

.PHONY: run serve worker test install install-dev migrate load-demo fixture lint check-migrations pytest browser-test vendor-bootstrap-italia clean

$(VENV_CFG):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The stamps are touched only after a successful install, so an interrupted or failed install is
# simply run again; a virtualenv left without pip (interrupted while being made) is made anew.
define ensure_pip
	@$(PY) -m pip --version >/dev/null 2>&1 || { \
		echo "== il virtualenv $(VENV) è incompleto: lo ricreo"; \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip; }
endef

$(STAMP): requirements.txt $(VENV_CFG)
	$(ensure_pip)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt $(VENV_CFG)
	$(ensure_pip)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

$(LOCAL_SECRET):
	mkdir -p $(dir $@)
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@.tmp && mv $@.tmp $@

migrate: install
	$(PY) manage.py migrate --noinput

load-demo: migrate
	$(PY) manage.py load_demo_peg
	$(PY) manage.py load_demo_ente

## make fixture: regenerate fixtures/peg_2021.json from the 2021 document, on a scratch database
fixture: install
	rm -f $(VENV)/fixture.sqlite3
	SQLITE_PATH=$(VENV)/fixture.sqlite3 $(PY) manage.py migrate --noinput -v0
	SQLITE_PATH=$(VENV)/fixture.sqlite3 $(PY) manage.py import_peg fixtures/peg_2021_alessandria.txt
	SQLITE_PATH=$(VENV)/fixture.sqlite3 $(PY) manage.py dumpdata sectors.Responsabile sectors.Dirigente \
		sectors.Settore objectives.Peg objectives.Obiettivo objectives.Annualita objectives.Fase \
		--indent 1 -o fixtures/peg_2021.json
	rm -f $(VENV)/fixture.sqlite3

## make run: virtualenv, dependencies, migrations, the 2021 PEG, the demo users, the server on http://$(HOST):$(PORT)
## With DEBUG=0 (the default) the pages are those of production (Italian error pages); the static
## files are collected and served by WhiteNoise as in production.
run: load-demo $(LOCAL_SECRET)
	$(PY) manage.py create_demo_users
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(LOCAL_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## make serve: production — DEBUG=0, SECRET_KEY and ALLOWED_HOSTS from the environment, the
## database from DATABASE_URL; static files collected, migrations applied, gunicorn on HOST:PORT.
serve: install
	DEBUG=0 $(PY) manage.py check --deploy
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(VENV)/bin/gunicorn peg.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

## make worker: a Celery worker preparing the long documents (jobs/) queued on CELERY_BROKER_URL;
## start one on every machine that shares the queue, the database (DATABASE_URL) and MEDIA_ROOT.
## WORKER_CONCURRENCY documents at a time (default: one per core, each laid out in its process);
## a worker process is renewed after 50 documents, so WeasyPrint's memory does not pile up.
WORKER_CONCURRENCY ?= $(shell nproc 2>/dev/null || echo 1)
WORKER_NAME ?= peg@%h
worker: install
	@[ -n "$$CELERY_BROKER_URL" ] || { \
		echo "CELERY_BROKER_URL non impostato: senza coda i documenti lunghi si preparano nel sito stesso"; \
		echo "   per esempio: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make worker"; exit 1; }
	$(VENV)/bin/celery -A peg worker --loglevel=INFO --hostname=$(WORKER_NAME) \
		--concurrency=$(WORKER_CONCURRENCY) --max-tasks-per-child=50

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: install-dev
	$(PY) manage.py makemigrations --check --dry-run

CHROMIUM := /usr/bin/chromium

## make pytest: the whole suite; the real-browser tests (tests/browser) run only when Chromium is installed
pytest: install-dev
	@if [ -x $(CHROMIUM) ]; then \
		echo "== Chromium trovato ($(CHROMIUM)): i test nel browser (tests/browser) vengono eseguiti"; \
	else \
		echo "== Chromium NON trovato ($(CHROMIUM)): i test nel browser (tests/browser) vengono SALTATI"; \
		echo "   per eseguirli: apt-get install -y chromium"; \
	fi
	$(PY) -m pytest

## make browser-test: only the real-browser tests (screenshots in artifacts/screenshots/)
browser-test: install-dev
	@[ -x $(CHROMIUM) ] || { echo "Chromium non trovato in $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	$(PY) -m pytest -m browser

## make test: test requirements, ruff, the migrations check, the whole suite
test: lint check-migrations pytest

## make vendor-bootstrap-italia: copy Bootstrap Italia, axe-core and the EUPL text pinned in
## package.json/package-lock.json into the tree (needs npm; the copied files are committed, so
## run/test never need it)
vendor-bootstrap-italia:
	sh scripts/vendor-frontend.sh

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
