# PEG — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev migrate load-demo fixture lint check-migrations pytest browser-test clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

load-demo: migrate
	$(PY) manage.py load_demo_peg

## make fixture: regenerate fixtures/peg_2021.json from the 2021 document, on a scratch database
fixture: install
	rm -f $(VENV)/fixture.sqlite3
	SQLITE_PATH=$(VENV)/fixture.sqlite3 $(PY) manage.py migrate --noinput -v0
	SQLITE_PATH=$(VENV)/fixture.sqlite3 $(PY) manage.py import_peg fixtures/peg_2021_alessandria.txt
	SQLITE_PATH=$(VENV)/fixture.sqlite3 $(PY) manage.py dumpdata sectors.Responsabile sectors.Dirigente \
		sectors.Settore objectives.Peg objectives.Obiettivo objectives.Annualita objectives.Fase \
		--indent 1 -o fixtures/peg_2021.json
	rm -f $(VENV)/fixture.sqlite3

## make run: virtualenv, dependencies, migrations, the 2021 PEG, the demo users, the server on 127.0.0.1:8000
run: load-demo
	$(PY) manage.py create_demo_users
	$(PY) manage.py runserver 127.0.0.1:8000

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

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
