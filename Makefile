# The two commands that matter: `make run` and `make test` (see README.md).
# Django 6 needs Python 3.12 or newer; take the first interpreter that really runs and is new enough
# (pyenv shims exist for versions that are not active, so every candidate is tried, not just looked up).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 $(HOME)/.pyenv/versions/3.12*/bin/python3 $(HOME)/.pyenv/versions/3.13*/bin/python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast venv dev lock migrate demo lint bench clean screenshots

# What the server runs: exact versions with hashes from requirements.lock. `make test` adds the test and
# development tools (requirements-dev.lock). `make lock` refreshes both locks from requirements.txt and
# requirements-dev.txt (pip-tools' pip-compile, resolved for this Python).
venv: $(VENV)/.installed

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6); none was found." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.installed

LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK_FLAGS) --upgrade -o requirements.lock requirements.txt
	$(BIN)/pip-compile $(LOCK_FLAGS) --upgrade -o requirements-dev.lock requirements-dev.txt

migrate: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py retokenize --verbosity 0
	$(BIN)/python manage.py collectstatic --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)/

run: demo  # the web server and one background job worker; Ctrl+C stops both
	$(BIN)/python manage.py serve $(HOST):$(PORT)

lint: dev
	$(BIN)/ruff check .

test: dev lint
	$(BIN)/python -m pytest

test-fast: dev lint  # every test but those marked slow (~10 s or more each), for the edit loop
	$(BIN)/python -m pytest -m "not slow"

screenshots: dev  # docs/*.png from a real Chromium, on a throwaway copy of the demo
	$(BIN)/python docs/screenshots.py

bench: venv  # the bulk paths against their targets, one table (bench/all.py; PostgreSQL from DATABASE_URL)
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) var/*.sqlite3
